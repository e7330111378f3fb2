import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  BatchRowMessage,
  BillingSubjects,
  compile,
  LIMITS,
  type BatchAdjustRow,
  type BatchAdjustRowResult,
} from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import { billingInstance, fund, moneyOf } from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { BatchAdjustService } from './batch-adjust.service.js';

const isRowMessage = compile(BatchRowMessage()).is;

describe(BatchAdjustService.name, () => {
  const { billing, openReplica } = useBillingDatabase();
  let sut: BatchAdjustService;

  beforeAll(async () => {
    sut = billing.batches;
  });

  /** A user auth has. */
  const newUser = () => billing.auth.add().id;

  const row = (userId: string, amountMicros: string, idempotencyKey: string = randomUUID()): BatchAdjustRow => ({
    userId,
    amountMicros,
    reason: 'monthly credit',
    idempotencyKey,
  });

  /** Stages `rows` in parts of `partSize` (last part first, to show order does not matter), then runs the batch. */
  async function runBatch(
    rows: BatchAdjustRow[],
    { dryRun = false, allowNegative, partSize = rows.length, batchId = randomUUID(), on = sut } = {} as {
      dryRun?: boolean;
      allowNegative?: boolean;
      partSize?: number;
      batchId?: string;
      on?: BatchAdjustService;
    },
  ) {
    const offsets = Array.from({ length: Math.ceil(rows.length / partSize) }, (_, part) => part * partSize).reverse();
    for (const offset of offsets) {
      const staged = await on.stage({ batchId, offset, rows: rows.slice(offset, offset + partSize) });
      if (!staged.ok) throw new Error(`staging failed: ${JSON.stringify(staged.denial)}`);
    }
    const reply = await on.batchAdjust({ batchId, rowCount: rows.length, dryRun, actor: 'staff', allowNegative });
    if (!reply.ok) throw new Error(`the batch was refused: ${JSON.stringify(reply.denial)}`);
    return reply.value;
  }

  /** Every row's result, page after page. */
  async function rowsOf(batchId: string, limit: number = LIMITS.batchRowsPage): Promise<BatchAdjustRowResult[]> {
    const rows: BatchAdjustRowResult[] = [];
    let cursor: string | null = null;
    do {
      const page = await sut.rows({ batchId, limit, cursor });
      if (!page.ok) throw new Error(`no rows: ${JSON.stringify(page.denial)}`);
      rows.push(...page.value.data);
      cursor = page.value.nextCursor;
    } while (cursor !== null);
    return rows;
  }

  it('reports each row of a dry run and changes nothing', async () => {
    const alice = newUser();
    const bob = newUser();
    await fund(billing, alice, 1_000n);

    const result = await runBatch([row(alice, '500'), row(bob, '300'), row(alice, '-200')], { dryRun: true });

    expect(result).toEqual({
      batchId: expect.any(String),
      dryRun: true,
      applied: false,
      counts: { applied: 0, would_apply: 3, replayed: 0, error: 0, not_applied: 0 },
      failedRows: [],
    });
    expect(await rowsOf(result.batchId)).toEqual([
      expect.objectContaining({
        index: 0,
        status: 'would_apply',
        balanceBeforeMicros: '1000',
        balanceAfterMicros: '1500',
      }),
      expect.objectContaining({ index: 1, status: 'would_apply', balanceBeforeMicros: '0', balanceAfterMicros: '300' }),
      expect.objectContaining({
        index: 2,
        status: 'would_apply',
        balanceBeforeMicros: '1500',
        balanceAfterMicros: '1300',
      }),
    ]);
    expect(await moneyOf(billing.db, alice)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
    expect(await billing.db.query(`SELECT 1 FROM billing.accounts WHERE user_id = $1`, [bob])).toHaveLength(0);
  });

  it('applies every row in one transaction, whatever parts it was staged in', async () => {
    const alice = newUser();
    const bob = newUser();

    const result = await runBatch([row(alice, '500'), row(bob, '300'), row(alice, '-200')], { partSize: 1 });

    expect(result).toMatchObject({ applied: true, counts: { applied: 3 }, failedRows: [] });
    const rows = await rowsOf(result.batchId);
    expect(rows.map((r) => [r.index, r.userId, r.amountMicros, r.status])).toEqual([
      [0, alice, '500', 'applied'],
      [1, bob, '300', 'applied'],
      [2, alice, '-200', 'applied'],
    ]);
    expect(rows.every((r) => r.entryId !== null && r.error === null && r.message === null)).toBe(true);
    expect(await moneyOf(billing.db, alice)).toEqual({ balance: 300n, held: 0n, ledger: 300n });
    expect(await moneyOf(billing.db, bob)).toEqual({ balance: 300n, held: 0n, ledger: 300n });
  });

  it('applies nothing when one row fails, and answers with the rows that failed', async () => {
    const alice = newUser();
    const bob = newUser();
    await fund(billing, bob, 100n);

    const result = await runBatch([row(alice, '500'), row(bob, '-150'), row(alice, '7')]);

    expect(result).toMatchObject({
      applied: false,
      counts: { applied: 0, error: 1, not_applied: 2 },
      failedRows: [{ index: 1, userId: bob, error: 'below_zero', message: expect.stringContaining('below zero') }],
    });
    expect((await rowsOf(result.batchId)).map((r) => r.status)).toEqual(['not_applied', 'error', 'not_applied']);
    expect(await moneyOf(billing.db, alice)).toEqual({ balance: 0n, held: 0n, ledger: 0n });
    expect(await moneyOf(billing.db, bob)).toEqual({ balance: 100n, held: 0n, ledger: 100n });
  });

  it('may take balances below zero with allowNegative', async () => {
    const alice = newUser();

    const result = await runBatch([row(alice, '-50')], { allowNegative: true });

    expect(result.applied).toBe(true);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: -50n, ledger: -50n });
  });

  it('can be sent again: rows applied before are replays that change nothing', async () => {
    const alice = newUser();
    const rows = [row(alice, '10', `batch-7-${alice}`), row(alice, '20', `batch-8-${alice}`)];
    await runBatch(rows.slice(0, 1));

    const result = await runBatch(rows);

    expect(result).toMatchObject({ applied: true, counts: { applied: 1, replayed: 1 } });
    expect((await rowsOf(result.batchId)).map((r) => r.status)).toEqual(['replayed', 'applied']);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: 30n, ledger: 30n });
  });

  it('compares keys in Unicode NFC: the decomposed spelling of an applied key is a replay', async () => {
    const alice = newUser();
    await runBatch([row(alice, '10', `caf\u00e9-${alice}`)]);

    const result = await runBatch([row(alice, '10', `cafe\u0301-${alice}`)]);

    expect(result.counts).toMatchObject({ applied: 0, replayed: 1 });
    expect((await rowsOf(result.batchId))[0]?.idempotencyKey).toBe(`caf\u00e9-${alice}`);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: 10n, ledger: 10n });
  });

  it('refuses a key repeated within one batch, or used before for another change, naming no client text', async () => {
    const alice = newUser();
    const reused = `reused-${alice}`;
    await runBatch([row(alice, '5', reused)]);
    const entryId = (await billing.db.query(`SELECT id FROM billing.ledger WHERE idempotency_key = $1`, [reused]))[0]
      ?.id as string;

    const result = await runBatch([row(alice, '1', 'twice'), row(alice, '1', 'twice'), row(alice, '6', reused)]);

    expect(result.failedRows).toEqual([
      { index: 1, userId: alice, error: 'key_repeated', message: expect.stringContaining('index 0') },
      { index: 2, userId: alice, error: 'key_reused', message: expect.stringContaining(`ledger entry ${entryId}`) },
    ]);
    expect(result.failedRows.every((failed) => isRowMessage(failed.message) && !failed.message.includes('twice'))).toBe(
      true,
    );
  });

  it(`answers a batch of ${LIMITS.batchRows} failed rows with the longest keys and reasons in a bounded reply`, async () => {
    const broke = newUser();
    const rows = Array.from({ length: LIMITS.batchRows }, (_, index) => ({
      userId: broke,
      amountMicros: `-${'9'.repeat(LIMITS.moneyWholeDigits + LIMITS.moneyFractionDigits)}`,
      reason: '\u0001'.repeat(LIMITS.reasonLength),
      idempotencyKey: `${index}-`.padEnd(LIMITS.idempotencyKeyLength, '\u20ac'),
    }));

    const result = await runBatch(rows, { partSize: 50 });

    expect(result.counts.error).toBe(LIMITS.batchRows);
    expect(result.failedRows).toHaveLength(LIMITS.batchRows);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(LIMITS.natsMaxPayloadBytes / 2);
    // Every row is there, page after page, each page well under the limit too.
    const page = await sut.rows({ batchId: result.batchId, limit: LIMITS.batchRowsPage });
    expect(page.ok && Buffer.byteLength(JSON.stringify(page.value))).toBeLessThan(LIMITS.natsMaxPayloadBytes / 2);
    const all = await rowsOf(result.batchId);
    expect(all.map((r) => r.index)).toEqual(rows.map((_, index) => index));
    expect(all.map((r) => r.idempotencyKey)).toEqual(rows.map((r) => r.idempotencyKey));
    expect(await moneyOf(billing.db, broke)).toEqual({ balance: 0n, held: 0n, ledger: 0n });
  });

  it('answers the same batch run again with what its run recorded, changing nothing', async () => {
    const alice = newUser();
    const batchId = randomUUID();
    const first = await runBatch([row(alice, '40')], { batchId });

    const again = await sut.batchAdjust({ batchId, rowCount: 1, dryRun: false, actor: 'staff' });

    expect(again).toEqual({ ok: true, value: first });
    expect(first.counts.applied).toBe(1);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: 40n, ledger: 40n });
  });

  it('runs a batch once when two replicas run it at the same time', async () => {
    const alice = newUser();
    const batchId = randomUUID();
    const other = billingInstance(await openReplica()).batches;
    await sut.stage({ batchId, offset: 0, rows: [row(alice, '70'), row(alice, '30')] });

    const replies = await Promise.all(
      [sut, other, sut, other].map((on) => on.batchAdjust({ batchId, rowCount: 2, dryRun: false, actor: 'staff' })),
    );

    const first = replies[0];
    expect(replies.every((reply) => reply.ok && first?.ok && reply.value.counts.applied === 2)).toBe(true);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: 100n, ledger: 100n });
  });

  it('refuses to run a batch with a part missing, and to stage more rows for a batch that ran', async () => {
    const alice = newUser();
    const batchId = randomUUID();
    await sut.stage({ batchId, offset: 1, rows: [row(alice, '5')] });

    const missing = await sut.batchAdjust({ batchId, rowCount: 2, dryRun: false, actor: 'staff' });

    expect(missing).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param: 'rowCount' }) },
    });
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: 0n, ledger: 0n });

    const ran = await runBatch([row(alice, '5')]);
    const late = await sut.stage({ batchId: ran.batchId, offset: 1, rows: [row(alice, '5')] });
    expect(late.ok ? null : late.denial.reason).toBe(DenialReason.Conflict);
  });

  it('drops staged rows of a batch that never ran, once they are an hour old', async () => {
    const abandoned = randomUUID();
    await sut.stage({ batchId: abandoned, offset: 0, rows: [row(newUser(), '5')] });
    await billing.db.query(
      `UPDATE billing.adjustment_batch_rows SET staged_at = now() - interval '61 minutes' WHERE batch_id = $1`,
      [abandoned],
    );

    await runBatch([row(newUser(), '5')]);

    expect(
      await billing.db.query(`SELECT 1 FROM billing.adjustment_batch_rows WHERE batch_id = $1`, [abandoned]),
    ).toHaveLength(0);
  });

  it('pages the rows of a batch in row order, and knows no batch it did not run', async () => {
    const alice = newUser();
    const result = await runBatch(Array.from({ length: 5 }, () => row(alice, '1')));

    const first = await sut.rows({ batchId: result.batchId, limit: 2 });
    const unknown = await sut.rows({ batchId: randomUUID() });

    expect(first.ok && first.value.data.map((r) => r.index)).toEqual([0, 1]);
    expect(first.ok && first.value.nextCursor).toBe('1');
    expect((await rowsOf(result.batchId, 2)).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(unknown.ok ? null : unknown.denial.reason).toBe(DenialReason.ResourceNotFound);
  });

  it('reports a row for a user auth does not know as an error naming it, and applies nothing', async () => {
    const alice = newUser();
    const stranger = randomUUID();

    const result = await runBatch([row(alice, '500'), row(stranger, '300'), row(alice, '7')]);

    expect(result).toMatchObject({ applied: false, counts: { error: 1, not_applied: 2 } });
    expect(result.failedRows).toEqual([
      { index: 1, userId: stranger, error: 'unknown_user', message: `no such user ${stranger}` },
    ]);
    expect((await rowsOf(result.batchId)).map((r) => r.status)).toEqual(['not_applied', 'error', 'not_applied']);
    const touched = await billing.db.query<unknown[]>(
      `SELECT 1 FROM billing.ledger WHERE user_id = ANY($1::uuid[]) UNION ALL
       SELECT 1 FROM billing.accounts WHERE user_id = ANY($1::uuid[])`,
      [[alice, stranger]],
    );
    expect(touched).toHaveLength(0);
  });

  it('reports the unknown user in a dry run too, beside what the other rows would do', async () => {
    const alice = newUser();
    const stranger = randomUUID();

    const result = await runBatch([row(alice, '500'), row(stranger, '300')], { dryRun: true });

    expect((await rowsOf(result.batchId)).map((r) => [r.status, r.error])).toEqual([
      ['would_apply', null],
      ['error', 'unknown_user'],
    ]);
  });

  it.each([
    [{ batchId: randomUUID(), offset: 0, rows: [] }, 'rows'],
    [{ batchId: randomUUID(), offset: 0, rows: [{}] }, 'rows[0].userId'],
    [{ batchId: 'batch-1', offset: 0, rows: [{ userId: randomUUID(), amountMicros: '1', reason: 'r' }] }, 'batchId'],
    [{ batchId: randomUUID(), offset: -1, rows: [] }, 'offset'],
  ])('refuses a malformed part %#', async (request, param) => {
    const reply = await checkedHandler(BillingSubjects.stageBatchRows, (r) => sut.stage(r))(request);

    expect(reply).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param }) },
    });
  });

  it('refuses a part that would take a batch past its limit', async () => {
    const reply = await sut.stage({
      batchId: randomUUID(),
      offset: LIMITS.batchRows - 1,
      rows: [row(randomUUID(), '1'), row(randomUUID(), '1')],
    });

    expect(reply).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param: 'rows' }) },
    });
  });

  it.each([
    [{ batchId: randomUUID(), rowCount: 0, dryRun: false, actor: 'staff' }, 'rowCount'],
    [{ batchId: randomUUID(), rowCount: 1, actor: 'staff' }, 'dryRun'],
    [{ batchId: randomUUID(), rowCount: 1, dryRun: false }, 'actor'],
    [{ batchId: randomUUID(), rowCount: 1, dryRun: false, actor: 'staff', force: true }, 'force'],
  ])('refuses a malformed run %#', async (request, param) => {
    const reply = await checkedHandler(BillingSubjects.batchAdjust, (r) => sut.batchAdjust(r))(request);

    expect(reply).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param }) },
    });
  });
});
