import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DenialReason } from '@tollgate/errors';
import {
  billingInstance,
  ESTIMATE_MICROS,
  fund,
  moneyOf,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  settlementFor,
  type BillingInstance,
  type Customer,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';

/** Actual cost of settlementFor's default usage (100 in, 20 out) at the test model's prices. */
const SETTLED_MICROS = 140n;

/**
 * Reserves and settlements are applied in batches (MicroBatcher →
 * billing.reserve_holds / billing.settle_holds). These specs drive many of
 * them at once through two replicas and the expiry sweeper, in mixed order
 * across users, to show that batching keeps every request's own outcome,
 * never deadlocks, and leaves the books balanced.
 */
describe('batched reserves and settlements', () => {
  const { billing, openReplica } = useBillingDatabase();
  let replicas: BillingInstance[];

  beforeAll(async () => {
    replicas = [billing, billingInstance(await openReplica())];
    await priceTestModel(billing);
  });

  it('reserves and settles for many users at once on two replicas without a deadlock or a lost cent', async () => {
    const customers = Array.from({ length: 12 }, newCustomer);
    await Promise.all(customers.map((customer) => fund(replicas[0], customer.userId, 1_000_000n)));
    const perCustomer = 25;

    // Requests interleave users in a different order on each replica, the pattern that deadlocks without a lock order.
    const requests = customers.flatMap((customer, c) =>
      Array.from({ length: perCustomer }, (_, i) => ({ customer, replica: replicas[(c + i) % 2] })),
    );
    requests.sort(() => Math.random() - 0.5);
    const outcomes = await Promise.all(
      requests.map(async ({ customer, replica }) => {
        const reply = await replica.reserve.reserve(reserveRequest(customer));
        if (!reply.ok) throw new Error(`refused: ${reply.denial.reason}`);
        const settleOn = replicas[Math.floor(Math.random() * 2)];
        return settleOn.settle.settle(settlementFor(customer, reply.value.holdId));
      }),
    );

    expect(outcomes.every((outcome) => outcome.kind === 'settled')).toBe(true);
    // A deadlock would have failed a batch (then retried item by item): none did, and batches did form.
    for (const replica of replicas) {
      expect(replica.holds.batchStats.failedBatches).toBe(0);
      expect(replica.settle.batchStats.failedBatches).toBe(0);
      expect(replica.holds.batchStats.batches).toBeLessThan(replica.holds.batchStats.items);
    }
    for (const customer of customers) {
      const charged = SETTLED_MICROS * BigInt(perCustomer);
      expect(await moneyOf(billing.db, customer.userId)).toEqual({
        balance: 1_000_000n - charged,
        held: 0n,
        ledger: 1_000_000n - charged,
      });
    }
    expect((await reconcileReport(replicas[0])).differences).toEqual([]);
  });

  it('gives each reserve of a batch its own answer: a balance for K of 60 admits exactly K', async () => {
    const customer = newCustomer();
    const k = 23n;
    await fund(replicas[0], customer.userId, ESTIMATE_MICROS * k);

    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => replicas[i % 2].reserve.reserve(reserveRequest(customer))),
    );

    expect(replies.filter((reply) => reply.ok)).toHaveLength(Number(k));
    expect(new Set(replies.flatMap((reply) => (reply.ok ? [] : [reply.denial.reason])))).toEqual(
      new Set([DenialReason.InsufficientUserQuota]),
    );
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 0n, held: ESTIMATE_MICROS * k, ledger: 0n });
  });

  it('fails only the reserve that breaks its batch (a hold id used twice); the others are held', async () => {
    const customer = newCustomer();
    await fund(replicas[0], customer.userId, 1_000_000n);
    const reused = randomUUID();
    const sut = replicas[0].reserve;

    // Two slots: the first two run alone, the next five share a batch that the repeated id makes fail.
    const results = await Promise.allSettled([
      sut.reserve(reserveRequest(customer)),
      sut.reserve(reserveRequest(customer)),
      sut.reserve(reserveRequest(customer)),
      sut.reserve(reserveRequest(customer, { holdId: reused })),
      sut.reserve(reserveRequest(customer)),
      sut.reserve(reserveRequest(customer, { holdId: reused })),
      sut.reserve(reserveRequest(customer)),
    ]);

    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'fulfilled' && result.value.ok)).toHaveLength(6);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({
      balance: 1_000_000n - 6n * ESTIMATE_MICROS,
      held: 6n * ESTIMATE_MICROS,
      ledger: 1_000_000n - 6n * ESTIMATE_MICROS,
    });
  });

  it('settles a batch mixing new, duplicate and unknown holds, each as if alone', async () => {
    const customer: Customer = newCustomer();
    await fund(replicas[0], customer.userId, 1_000_000n);
    const holds = await Promise.all(
      [0, 1, 2].map(async () => {
        const reply = await replicas[0].reserve.reserve(reserveRequest(customer));
        if (!reply.ok) throw new Error('refused');
        return reply.value.holdId;
      }),
    );
    const sut = replicas[1].settle;

    const outcomes = await Promise.all([
      sut.settle(settlementFor(customer, holds[0])),
      sut.settle(settlementFor(customer, holds[0])),
      sut.settle(settlementFor(customer, holds[1], { succeeded: false, httpStatus: 503 })),
      sut.settle(settlementFor(customer, randomUUID())),
      sut.settle(settlementFor(customer, holds[2].toUpperCase())),
      sut.settle(settlementFor(customer, holds[1])),
    ]);

    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(
      ['not_open', 'not_open', 'released', 'settled', 'settled', 'unknown_hold'].sort(),
    );
    expect(outcomes[3]).toEqual({ kind: 'unknown_hold' });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({
      balance: 1_000_000n - 2n * SETTLED_MICROS,
      held: 0n,
      ledger: 1_000_000n - 2n * SETTLED_MICROS,
    });
  });

  it('expires holds while settlements and reserves run, without a deadlock', async () => {
    const customers = Array.from({ length: 6 }, newCustomer);
    await Promise.all(customers.map((customer) => fund(replicas[0], customer.userId, 1_000_000n)));
    const expiring = await Promise.all(
      customers.map(async (customer) => {
        const reply = await replicas[1].reserve.reserve(reserveRequest(customer));
        if (!reply.ok) throw new Error('refused');
        return reply.value.holdId;
      }),
    );
    await billing.db.query(
      `UPDATE billing.holds SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`,
      [expiring],
    );

    const work = customers.flatMap((customer, c) => [
      replicas[c % 2].settle.settle(settlementFor(customer, expiring[c])),
      replicas[(c + 1) % 2].reserve
        .reserve(reserveRequest(customer))
        .then((reply) =>
          reply.ok ? replicas[c % 2].settle.settle(settlementFor(customer, reply.value.holdId)) : null,
        ),
    ]);
    const [swept] = await Promise.all([replicas[0].expiry.sweep(), ...work]);

    for (const replica of replicas) expect(replica.settle.batchStats.failedBatches).toBe(0);
    // Each expiring hold was closed exactly once: by its settlement or by the sweeper.
    expect(swept).toBeLessThanOrEqual(customers.length);
    expect((await reconcileReport(replicas[0])).differences).toEqual([]);
    for (const customer of customers) expect((await moneyOf(billing.db, customer.userId)).held).toBe(0n);
  });
});
