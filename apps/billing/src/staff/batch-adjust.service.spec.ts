import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { BillingSubjects } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import { fund, moneyOf } from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { BatchAdjustService } from './batch-adjust.service.js';

describe(BatchAdjustService.name, () => {
  const { billing } = useBillingDatabase();
  let sut: BatchAdjustService;

  beforeAll(async () => {
    sut = billing.batches;
  });

  /** A user auth has. */
  const newUser = () => billing.auth.add().id;

  const row = (userId: string, amountMicros: string, idempotencyKey: string = randomUUID()) => ({
    userId,
    amountMicros,
    reason: 'monthly credit',
    idempotencyKey,
  });

  it('reports each row of a dry run and changes nothing', async () => {
    const alice = newUser();
    const bob = newUser();
    await fund(billing, alice, 1_000n);

    const reply = await sut.batchAdjust({
      rows: [row(alice, '500'), row(bob, '300'), row(alice, '-200')],
      dryRun: true,
      actor: 'staff',
    });

    expect(reply.ok && reply.value).toEqual({
      dryRun: true,
      applied: false,
      errorCount: 0,
      rows: [
        expect.objectContaining({
          index: 0,
          status: 'would_apply',
          balanceBeforeMicros: '1000',
          balanceAfterMicros: '1500',
        }),
        expect.objectContaining({
          index: 1,
          status: 'would_apply',
          balanceBeforeMicros: '0',
          balanceAfterMicros: '300',
        }),
        expect.objectContaining({
          index: 2,
          status: 'would_apply',
          balanceBeforeMicros: '1500',
          balanceAfterMicros: '1300',
        }),
      ],
    });
    expect(await moneyOf(billing.db, alice)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
    expect(await billing.db.query(`SELECT 1 FROM billing.accounts WHERE user_id = $1`, [bob])).toHaveLength(0);
  });

  it('applies every row in one transaction', async () => {
    const alice = newUser();
    const bob = newUser();

    const reply = await sut.batchAdjust({
      rows: [row(alice, '500'), row(bob, '300'), row(alice, '-200')],
      dryRun: false,
      actor: 'staff',
    });

    expect(reply.ok && reply.value.applied).toBe(true);
    expect(reply.ok && reply.value.rows.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(reply.ok && reply.value.rows.every((r) => r.entryId !== null)).toBe(true);
    expect(await moneyOf(billing.db, alice)).toEqual({ balance: 300n, held: 0n, ledger: 300n });
    expect(await moneyOf(billing.db, bob)).toEqual({ balance: 300n, held: 0n, ledger: 300n });
  });

  it('applies nothing when one row fails, and says which', async () => {
    const alice = newUser();
    const bob = newUser();
    await fund(billing, bob, 100n);

    const reply = await sut.batchAdjust({
      rows: [row(alice, '500'), row(bob, '-150'), row('not-a-uuid', '1'), row(alice, '7')],
      dryRun: false,
      actor: 'staff',
    });

    expect(reply.ok && reply.value).toMatchObject({ applied: false, errorCount: 2 });
    expect(reply.ok && reply.value.rows.map((r) => r.status)).toEqual(['not_applied', 'error', 'error', 'not_applied']);
    expect(reply.ok && reply.value.rows[1]?.error).toContain('below zero');
    expect(reply.ok && reply.value.rows[2]?.error).toContain('userId');
    expect(await moneyOf(billing.db, alice)).toEqual({ balance: 0n, held: 0n, ledger: 0n });
    expect(await moneyOf(billing.db, bob)).toEqual({ balance: 100n, held: 0n, ledger: 100n });
  });

  it('may take balances below zero with allowNegative', async () => {
    const alice = newUser();

    const reply = await sut.batchAdjust({
      rows: [row(alice, '-50')],
      dryRun: false,
      actor: 'staff',
      allowNegative: true,
    });

    expect(reply.ok && reply.value.applied).toBe(true);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: -50n, ledger: -50n });
  });

  it('can be sent again: rows applied before are replays that change nothing', async () => {
    const alice = newUser();
    const rows = [row(alice, '10', `batch-7-${alice}`), row(alice, '20', `batch-8-${alice}`)];
    await sut.batchAdjust({ rows: rows.slice(0, 1), dryRun: false, actor: 'staff' });

    const reply = await sut.batchAdjust({ rows, dryRun: false, actor: 'staff' });

    expect(reply.ok && reply.value.rows.map((r) => r.status)).toEqual(['replayed', 'applied']);
    expect(await moneyOf(billing.db, alice)).toMatchObject({ balance: 30n, ledger: 30n });
  });

  it('refuses a key repeated within one batch', async () => {
    const alice = newUser();

    const reply = await sut.batchAdjust({
      rows: [row(alice, '1', 'twice'), row(alice, '1', 'twice')],
      dryRun: false,
      actor: 'staff',
    });

    expect(reply.ok && reply.value.rows.map((r) => r.status)).toEqual(['not_applied', 'error']);
  });

  it('reports a row for a user auth does not know as an error naming it, and applies nothing', async () => {
    const alice = newUser();
    const stranger = randomUUID();

    const reply = await sut.batchAdjust({
      rows: [row(alice, '500'), row(stranger, '300'), row(alice, '7')],
      dryRun: false,
      actor: 'staff',
    });

    expect(reply.ok && reply.value).toMatchObject({ applied: false, errorCount: 1 });
    expect(reply.ok && reply.value.rows[1]).toEqual({
      index: 1,
      userId: stranger,
      amountMicros: '300',
      idempotencyKey: expect.any(String),
      status: 'error',
      balanceBeforeMicros: null,
      balanceAfterMicros: null,
      entryId: null,
      error: `no such user ${stranger}`,
    });
    expect(reply.ok && reply.value.rows.map((r) => r.status)).toEqual(['not_applied', 'error', 'not_applied']);
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

    const reply = await sut.batchAdjust({
      rows: [row(alice, '500'), row(stranger, '300')],
      dryRun: true,
      actor: 'staff',
    });

    expect(reply.ok && reply.value.rows.map((r) => [r.status, r.error])).toEqual([
      ['would_apply', null],
      ['error', `no such user ${stranger}`],
    ]);
  });

  it.each([
    [{ rows: [], dryRun: false, actor: 'staff' }, 'rows'],
    [{ rows: [{}], actor: 'staff' }, 'dryRun'],
    [{ rows: [{}], dryRun: false }, 'actor'],
    [{ rows: [{}], dryRun: false, actor: 'staff', force: true }, 'force'],
  ])('refuses a malformed batch %#', async (request, param) => {
    const reply = await checkedHandler(BillingSubjects.batchAdjust, (r) => sut.batchAdjust(r))(request);

    expect(reply).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param }) },
    });
  });
});
