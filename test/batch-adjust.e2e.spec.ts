import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connect, createInbox } from '@nats-io/transport-node';
import { BillingSubjects, LIMITS, type BatchAdjustRow } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { createCustomer, type Customer } from './support/fixtures.js';
import { balanceOf, expectBooksBalanced, ledgerOf, micros } from './support/ledger.js';
import { useSuite } from './support/suite.js';

interface BatchAnswer {
  id: string;
  dry_run: boolean;
  applied: boolean;
  counts: Record<'applied' | 'would_apply' | 'replayed' | 'error' | 'not_applied', number>;
  failed_rows: Array<{ index: number; user_id: string; error: string; message: string }>;
}

interface BatchRow {
  index: number;
  user_id: string;
  idempotency_key: string;
  status: string;
  entry_id: string | null;
}

interface TopUpAnswer {
  entry: { id: string; amount: string; balance_after: string; idempotency_key: string };
  balance: { balance: string };
  replayed: boolean;
}

const NONE = { applied: 0, would_apply: 0, replayed: 0, error: 0, not_applied: 0 };

/**
 * A write is never answered with an error after it committed: the largest
 * allowed batch, with the longest allowed text, gets its answer (counts and
 * failed rows; every row paged from the rows route) and its re-run is all
 * replays; a change whose answer could not be delivered is answered as a
 * replay, with the same entry, when it is sent again.
 */
describe('batch adjustments and idempotency keys, end to end', () => {
  const suite = useSuite({ replicas: { billing: 2 } });

  /** Every row of a batch, page after page of the largest page. */
  async function rowsOf(batchId: string): Promise<{ rows: BatchRow[]; pages: number }> {
    const rows: BatchRow[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await suite.admin<{ data: BatchRow[]; next_cursor: string | null }>(
        'GET',
        `/admin/v1/adjustments/batches/${batchId}/rows?limit=${LIMITS.batchRowsPage}${query}`,
      );
      expect(page.status).toBe(200);
      rows.push(...page.body.data);
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor !== null);
    return { rows, pages };
  }

  const batch = (body: Record<string, unknown>) =>
    suite.admin<BatchAnswer>('POST', '/admin/v1/adjustments/batch', body);

  /** A key of the largest allowed length, of characters that take 3 bytes each. */
  const longKey = (tag: string) => `${tag}-`.padEnd(LIMITS.idempotencyKeyLength, '\u20ac');
  const longReason = '\u20ac'.repeat(LIMITS.reasonLength);

  it(`answers a batch of ${LIMITS.batchRows} rows of the longest text with counts, and its re-run with replays`, async () => {
    const customers: Customer[] = [];
    for (let i = 0; i < 4; i++) customers.push(await createCustomer(suite));
    const tag = randomUUID();
    const rows = Array.from({ length: LIMITS.batchRows }, (_, index) => ({
      user_id: customers[index % customers.length]?.userId,
      amount: '0.001',
      reason: longReason,
      idempotency_key: longKey(`${tag}-${index}`),
    }));
    // More than NATS takes in one message: the edge hands the rows to billing in parts.
    expect(Buffer.byteLength(JSON.stringify(rows))).toBeGreaterThan(LIMITS.natsMaxPayloadBytes);

    const first = await batch({ rows });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      dry_run: false,
      applied: true,
      counts: { ...NONE, applied: LIMITS.batchRows },
      failed_rows: [],
    });
    for (const customer of customers) {
      expect((await balanceOf(suite, customer.userId)).balance).toBe(micros('0.25'));
    }

    const again = await batch({ rows });

    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ applied: true, counts: { ...NONE, replayed: LIMITS.batchRows } });
    expect(again.body.id).not.toBe(first.body.id);
    for (const customer of customers) {
      expect((await balanceOf(suite, customer.userId)).balance).toBe(micros('0.25'));
      expect((await expectBooksBalanced(suite, customer.userId)).filter((e) => e.type === 'adjustment')).toHaveLength(
        LIMITS.batchRows / customers.length,
      );
    }

    // Every row's result, across pages: the applied run's entries are the ones its re-run found.
    const applied = await rowsOf(first.body.id);
    const replayed = await rowsOf(again.body.id);
    expect(applied.pages).toBe(LIMITS.batchRows / LIMITS.batchRowsPage);
    expect(applied.rows.map((row) => [row.index, row.idempotency_key, row.status])).toEqual(
      rows.map((row, index) => [index, row.idempotency_key, 'applied']),
    );
    expect(replayed.rows.map((row) => row.status)).toEqual(rows.map(() => 'replayed'));
    expect(replayed.rows.map((row) => row.entry_id)).toEqual(applied.rows.map((row) => row.entry_id));
  });

  it(`answers a batch whose ${LIMITS.batchRows} rows all fail with every failed row, and applies none`, async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    const tag = randomUUID();
    const rows = Array.from({ length: LIMITS.batchRows }, (_, index) => ({
      user_id: customer.userId,
      amount: '-2',
      reason: longReason,
      idempotency_key: longKey(`${tag}-${index}`),
    }));

    const answer = await batch({ rows });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ applied: false, counts: { ...NONE, error: LIMITS.batchRows } });
    expect(answer.body.failed_rows).toHaveLength(LIMITS.batchRows);
    expect(answer.body.failed_rows[LIMITS.batchRows - 1]).toEqual({
      index: LIMITS.batchRows - 1,
      user_id: customer.userId,
      error: 'below_zero',
      message: expect.stringContaining('below zero'),
    });
    expect((await balanceOf(suite, customer.userId)).balance).toBe(micros('1'));
    expect((await rowsOf(answer.body.id)).rows.map((row) => row.status)).toEqual(rows.map(() => 'error'));
  });

  it('answers the failed rows of a mixed batch, and names an unknown batch 404', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    const tag = randomUUID();
    const rows = [
      { user_id: customer.userId, amount: '1', reason: 'goodwill', idempotency_key: `${tag}-1` },
      { user_id: customer.userId, amount: '-100', reason: 'too much', idempotency_key: `${tag}-2` },
      { user_id: customer.userId, amount: '1', reason: 'again', idempotency_key: `${tag}-1` },
    ];

    const dry = await batch({ rows, dry_run: true });
    const unknown = await suite.admin('GET', `/admin/v1/adjustments/batches/${randomUUID()}/rows`);

    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ dry_run: true, applied: false, counts: { ...NONE, would_apply: 1, error: 2 } });
    expect(dry.body.failed_rows.map((row) => [row.index, row.error])).toEqual([
      [1, 'below_zero'],
      [2, 'key_repeated'],
    ]);
    expect(unknown.status).toBe(404);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(micros('5'));
  });

  it('answers a top-up with the decomposed spelling of a key used composed as a replay', async () => {
    const customer = await createCustomer(suite);
    const topUp = (idempotency_key: string) =>
      suite.admin<TopUpAnswer>('POST', `/admin/v1/users/${customer.userId}/topups`, {
        amount: '3',
        reason: 'invoice',
        idempotency_key,
      });

    const composed = await topUp(`caf\u00e9-${customer.userId}`);
    const decomposed = await topUp(`cafe\u0301-${customer.userId}`);

    expect([composed.status, composed.body.replayed]).toEqual([201, false]);
    expect([decomposed.status, decomposed.body.replayed]).toEqual([200, true]);
    expect(decomposed.body.entry).toEqual(composed.body.entry);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(micros('3'));
  });

  describe('a change whose answer cannot be delivered', () => {
    /** Sends a request to billing as the edge would, with a reply subject nobody listens to. */
    async function sendWithoutListening(subject: string, data: unknown): Promise<void> {
      const nats = await connect({ servers: suite.natsUrl });
      try {
        nats.publish(subject, JSON.stringify({ pattern: subject, data, id: '1' }), { reply: createInbox() });
        await nats.flush();
      } finally {
        await nats.close();
      }
    }

    it('commits a top-up, and its retry with the same key answers replayed with the same entry', async () => {
      const customer = await createCustomer(suite);
      const key = `lost-answer-${customer.userId}`;
      await sendWithoutListening(BillingSubjects.topUp.name, {
        userId: customer.userId,
        amountMicros: '4000000',
        actor: 'staff',
        reason: 'invoice paid',
        idempotencyKey: key,
      });
      const [committed] = await eventually(async () => {
        const entries = await ledgerOf(suite, customer.userId);
        if (entries.length === 0) throw new Error('the top-up is not in the ledger yet');
        return entries;
      });

      const retry = await suite.admin<TopUpAnswer>('POST', `/admin/v1/users/${customer.userId}/topups`, {
        amount: '4',
        reason: 'invoice paid',
        idempotency_key: key,
      });

      expect(retry.status).toBe(200);
      expect(retry.body.replayed).toBe(true);
      // The ledger list names the user and actor beside their ids; the write's answer is the bare entry.
      expect(committed).toEqual({ ...retry.body.entry, user_name: expect.any(String), actor_name: null });
      expect(retry.body.balance.balance).toBe('4.000000');
      expect(await expectBooksBalanced(suite, customer.userId)).toHaveLength(1);
    });

    it('commits a batch, and its re-run answers every row replayed', async () => {
      const customer = await createCustomer(suite);
      const batchId = randomUUID();
      const rows: BatchAdjustRow[] = [1, 2, 3].map((n) => ({
        userId: customer.userId,
        amountMicros: String(n * 1_000_000),
        reason: 'credit',
        idempotencyKey: `lost-batch-${customer.userId}-${n}`,
      }));
      const staged = await connect({ servers: suite.natsUrl });
      try {
        // Staged with an answer, as the edge does; only the run's answer goes nowhere.
        const reply = await staged.request(
          BillingSubjects.stageBatchRows.name,
          JSON.stringify({ pattern: BillingSubjects.stageBatchRows.name, data: { batchId, offset: 0, rows }, id: '1' }),
        );
        expect(reply.json<{ response: unknown }>().response).toEqual({ ok: true, value: { stagedRows: 3 } });
      } finally {
        await staged.close();
      }
      await sendWithoutListening(BillingSubjects.batchAdjust.name, {
        batchId,
        rowCount: rows.length,
        dryRun: false,
        actor: 'staff',
      });
      await eventually(async () => expect((await balanceOf(suite, customer.userId)).balance).toBe(micros('6')));

      const rerun = await batch({
        rows: rows.map((row) => ({
          user_id: row.userId,
          amount: String(Number(row.amountMicros) / 1_000_000),
          reason: row.reason,
          idempotency_key: row.idempotencyKey,
        })),
      });

      expect(rerun.status).toBe(201);
      expect(rerun.body).toMatchObject({ applied: true, counts: { ...NONE, replayed: 3 } });
      expect((await rowsOf(batchId)).rows.map((row) => row.status)).toEqual(['applied', 'applied', 'applied']);
      expect(await expectBooksBalanced(suite, customer.userId)).toHaveLength(3);
    });
  });
});
