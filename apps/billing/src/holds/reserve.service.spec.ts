import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { BillingSubjects } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import {
  awaitRoomInWindow,
  billingInstance,
  ESTIMATE_MICROS,
  fund,
  keySpent,
  moneyOf,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  testConfig,
  TEST_MODEL,
  ledgerPage,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { HoldsRepository } from './holds.repository.js';
import { ReserveService } from './reserve.service.js';

// Rate-limit specs may wait out the end of a minute so that their requests share one window.
jest.setTimeout(30_000);

describe(ReserveService.name, () => {
  const { billing, openReplica } = useBillingDatabase();
  let replica: DataSource;
  let sut: ReserveService;

  beforeAll(async () => {
    replica = await openReplica();
    sut = billing.reserve;
    await priceTestModel(billing);
  });

  it('holds the estimated cost and writes the hold to the ledger', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);

    const reply = await sut.reserve(reserveRequest(customer));

    expect(reply).toEqual({
      ok: true,
      value: {
        holdId: expect.any(String),
        amountMicros: '200',
        rateLimit: expect.objectContaining({ limit: 100_000 }),
      },
    });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 800n, held: 200n, ledger: 800n });
    expect(await keySpent(billing.db, customer.keyId)).toBe(200n);
    const page = await ledgerPage(billing.ledger, { userId: customer.userId, types: ['hold'] });
    expect(page.data).toEqual([
      expect.objectContaining({
        type: 'hold',
        amountMicros: '-200',
        balanceAfterMicros: '800',
        actor: `key:${customer.keyId}`,
      }),
    ]);
  });

  it('never overspends: a balance covering exactly K requests admits K of 200 concurrent ones', async () => {
    const customer = newCustomer();
    const k = 37n;
    await fund(billing, customer.userId, ESTIMATE_MICROS * k);

    // Half of the requests go through a second DataSource, as from another billing replica.
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 === 0 ? sut : billingInstance(replica).reserve).reserve(reserveRequest(customer)),
      ),
    );

    const admitted = replies.filter((reply) => reply.ok);
    const refused = replies.flatMap((reply) => (reply.ok ? [] : [reply.denial.reason]));
    expect(admitted).toHaveLength(Number(k));
    expect(refused).toHaveLength(200 - Number(k));
    expect(new Set(refused)).toEqual(new Set([DenialReason.InsufficientUserQuota]));
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 0n, held: ESTIMATE_MICROS * k, ledger: 0n });
    expect(await keySpent(billing.db, customer.keyId)).toBe(ESTIMATE_MICROS * k);
  });

  it('never exceeds a key budget: a budget covering exactly K requests admits K of 200 concurrent ones', async () => {
    const customer = newCustomer();
    const k = 13n;
    await fund(billing, customer.userId, 1_000_000n);
    const request = reserveRequest(customer, { budgetMicros: (ESTIMATE_MICROS * k).toString(), keySuffix: 'Zz9yX8' });

    const replies = await Promise.all(
      Array.from({ length: 200 }, () => sut.reserve({ ...request, holdId: randomUUID() })),
    );

    expect(replies.filter((reply) => reply.ok)).toHaveLength(Number(k));
    const refusals = replies.flatMap((reply) => (reply.ok ? [] : [reply.denial]));
    expect(refusals).toHaveLength(200 - Number(k));
    for (const denial of refusals) {
      expect(denial).toEqual({ reason: DenialReason.KeyBudgetExceeded, params: { keySuffix: 'Zz9yX8' } });
    }
    // Refused reserves gave back what they debited, in the same transaction.
    expect(await moneyOf(billing.db, customer.userId)).toEqual({
      balance: 1_000_000n - ESTIMATE_MICROS * k,
      held: ESTIMATE_MICROS * k,
      ledger: 1_000_000n - ESTIMATE_MICROS * k,
    });
    expect(await keySpent(billing.db, customer.keyId)).toBe(ESTIMATE_MICROS * k);
  });

  it('holds the same way when told not to wait for the WAL flush', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const asynchronous = billingInstance(billing.db, testConfig({ RESERVE_SYNCHRONOUS_COMMIT: 'false' }));

    const reply = await asynchronous.reserve.reserve(reserveRequest(customer));

    expect(reply.ok && reply.value.amountMicros).toBe('200');
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 800n, held: 200n, ledger: 800n });
  });

  it('refuses a user without an account', async () => {
    const reply = await sut.reserve(reserveRequest(newCustomer()));

    expect(reply).toEqual({ ok: false, denial: { reason: DenialReason.InsufficientUserQuota } });
  });

  it('refuses a model without a price, before counting or holding anything', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);

    const reply = await sut.reserve(reserveRequest(customer, { model: 'no-such-price' }));

    expect(reply).toEqual({
      ok: false,
      denial: { reason: DenialReason.ModelPriceMissing, params: { model: 'no-such-price' } },
    });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
    const windows = await billing.db.query<unknown[]>(`SELECT 1 FROM billing.rate_windows WHERE scope LIKE $1`, [
      `%${customer.keyId}%`,
    ]);
    expect(windows).toHaveLength(0);
  });

  it('applies the group multiplier to the estimate', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    await billing.prices.setGroupMultiplier({ group: 'vip', multiplierBasisPoints: 8000 });

    const reply = await sut.reserve(reserveRequest(customer, { group: 'vip' }));

    expect(reply.ok && reply.value.amountMicros).toBe('160');
  });

  it('prices images by size, and refuses a size without a price', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000_000n);
    await billing.prices.setPrice({ model: 'image-model', imagePriceMicros: { '1024x1024': '40000' } });
    const images = { inputTokens: 0, outputTokens: 0, images: 2, characters: 0 };

    const priced = await sut.reserve(
      reserveRequest(customer, { model: 'image-model', estimate: { ...images, imageSize: '1024x1024' } }),
    );
    const unpriced = await sut.reserve(
      reserveRequest(customer, { model: 'image-model', estimate: { ...images, imageSize: '256x256' } }),
    );

    expect(priced.ok && priced.value.amountMicros).toBe('80000');
    expect(unpriced).toEqual({
      ok: false,
      denial: { reason: DenialReason.ModelPriceMissing, params: { model: 'image-model' } },
    });
  });

  it('refuses a malformed estimate as a bad request', async () => {
    const customer = newCustomer();
    const reply = await checkedHandler(BillingSubjects.reserve, (request) => sut.reserve(request))(
      reserveRequest(customer, {
        estimate: { inputTokens: -1, outputTokens: 0, images: 0, imageSize: null, characters: 0 },
      }),
    );

    expect(reply.ok ? null : reply.denial.reason).toBe(DenialReason.InvalidRequest);
  });

  describe('rate limits', () => {
    it('admits exactly the key limit per minute across two replicas: rpm 10, 30 concurrent → 10', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000_000n);
      await awaitRoomInWindow(billing.db);
      const other = billingInstance(replica).reserve;

      const replies = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? sut : other).reserve(reserveRequest(customer, { rpmLimit: 10 })),
        ),
      );

      expect(replies.filter((reply) => reply.ok)).toHaveLength(10);
      const refusals = replies.flatMap((reply) => (reply.ok ? [] : [reply.denial]));
      expect(refusals).toHaveLength(20);
      for (const denial of refusals) {
        expect(denial.reason).toBe(DenialReason.TooManyRequests);
        expect(denial.params?.model).toBe(TEST_MODEL);
        expect(denial.params?.retryAfterSeconds).toBeGreaterThan(0);
        expect(denial.params?.headers).toEqual({
          'ratelimit-limit': '10',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(denial.params?.retryAfterSeconds),
        });
      }
      // Only admitted requests hold money.
      expect(await moneyOf(billing.db, customer.userId)).toMatchObject({ held: ESTIMATE_MICROS * 10n });
    });

    it('counts each model of a key separately', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000_000n);
      await billing.prices.setPrice({ model: 'second-model', inputPerMillionMicros: '1000000' });
      await awaitRoomInWindow(billing.db);

      const first = await Promise.all(
        Array.from({ length: 3 }, () => sut.reserve(reserveRequest(customer, { rpmLimit: 2 }))),
      );
      const second = await sut.reserve(reserveRequest(customer, { rpmLimit: 2, model: 'second-model' }));

      expect(first.filter((reply) => reply.ok)).toHaveLength(2);
      expect(second.ok).toBe(true);
    });

    it('uses DEFAULT_KEY_RPM when the key has no limit, and DEFAULT_USER_RPM across all keys of a user', async () => {
      const limited = billingInstance(billing.db, testConfig({ DEFAULT_KEY_RPM: '4', DEFAULT_USER_RPM: '6' }));
      const alice = newCustomer();
      const aliceOtherKey = { ...alice, keyId: newCustomer().keyId };
      await fund(billing, alice.userId, 1_000_000n);
      await awaitRoomInWindow(billing.db);

      const firstKey = await Promise.all(
        Array.from({ length: 8 }, () => limited.reserve.reserve(reserveRequest(alice, { rpmLimit: null }))),
      );
      const secondKey = await Promise.all(
        Array.from({ length: 8 }, () => limited.reserve.reserve(reserveRequest(aliceOtherKey, { rpmLimit: null }))),
      );

      expect(firstKey.filter((reply) => reply.ok)).toHaveLength(4);
      // 6 per user: the second key gets the 2 the user has left.
      expect(secondKey.filter((reply) => reply.ok)).toHaveLength(2);
      const userRefusal = secondKey.find((reply) => !reply.ok);
      expect(userRefusal && !userRefusal.ok && userRefusal.denial.params?.headers?.['ratelimit-limit']).toBe('6');
    });

    it('does not count a request refused for lack of money', async () => {
      const customer = newCustomer();
      await awaitRoomInWindow(billing.db);
      await sut.reserve(reserveRequest(customer, { rpmLimit: 1 }));
      await fund(billing, customer.userId, 1_000n);

      const reply = await sut.reserve(reserveRequest(customer, { rpmLimit: 1 }));

      expect(reply.ok).toBe(true);
    });

    it('forgets windows that have ended', async () => {
      await billing.db.query(
        `INSERT INTO billing.rate_windows (scope, window_start, count) VALUES ('k:old', now() - interval '5 minutes', 3)`,
      );

      expect(await billing.rateWindows.sweep()).toBeGreaterThanOrEqual(1);
      expect(await billing.db.query(`SELECT 1 FROM billing.rate_windows WHERE scope = 'k:old'`)).toHaveLength(0);
    });
  });

  describe("past the edge's deadline", () => {
    /** Reserves over a repository whose clock runs `aheadMs` ahead: every reserve has waited that long. */
    const lateBy = (
      aheadMs: number,
      timeoutMs: number,
      holds = new HoldsRepository(billing.db, () => Date.now() + aheadMs),
    ) => ({
      holds,
      sut: new ReserveService(
        billing.book,
        holds,
        billing.reclaimer,
        testConfig({ NATS_REQUEST_TIMEOUT_MS: String(timeoutMs) }),
      ),
    });

    it('drops a reserve that waited longer than the edge does: nothing counted, held or spent', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000n);
      const { sut } = lateBy(5_000, 3_000);

      const reply = await sut.reserve(reserveRequest(customer, { rpmLimit: 1 }));

      expect(reply).toEqual({ ok: false, denial: { reason: DenialReason.ServiceUnavailable } });
      expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
      expect(await keySpent(billing.db, customer.keyId)).toBe(0n);
      // The rate window did not count it either: the key's one request a minute is still there.
      expect((await billing.reserve.reserve(reserveRequest(customer, { rpmLimit: 1 }))).ok).toBe(true);
    });

    it('drops only the late reserves of a batch; the others are placed', async () => {
      const customers = [newCustomer(), newCustomer()];
      for (const customer of customers) await fund(billing, customer.userId, 1_000n);
      // One repository, so that both reserves can share a batch; its clock is 2 s ahead.
      const { holds, sut: late } = lateBy(2_000, 1_000);
      const onTime = new ReserveService(
        billing.book,
        holds,
        billing.reclaimer,
        testConfig({ NATS_REQUEST_TIMEOUT_MS: '60000' }),
      );

      const replies = await Promise.all([
        late.reserve(reserveRequest(customers[0])),
        onTime.reserve(reserveRequest(customers[1])),
      ]);

      expect(replies.map((reply) => reply.ok)).toEqual([false, true]);
      expect(await moneyOf(billing.db, customers[0].userId)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
      expect((await moneyOf(billing.db, customers[1].userId)).held).toBe(ESTIMATE_MICROS);
    });
  });

  it('leaves every account reconciled', async () => {
    const report = await reconcileReport(billing);

    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
