import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { DenialReason } from '@tollgate/errors';
import { keyModelScope, userScope } from '../limits/rate-limit.js';
import {
  awaitRoomInWindow,
  billingInstance,
  ESTIMATE_MICROS,
  fund,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  TEST_MODEL,
  type BillingInstance,
  type Customer,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import {
  admissionJson,
  GrantsRepository,
  type AcquireGrantCall,
  type AcquireGrantOutcome,
  type AdmissionItem,
} from './grants.repository.js';

// A spec that counts requests may wait out the last seconds of a minute (awaitRoomInWindow).
jest.setTimeout(30_000);

/** One request of the test model's estimate (100 in + 50 out): the unit a grant is sized in. */
const UNIT = ESTIMATE_MICROS;
const VALIDITY_MS = 10_000;

/**
 * Credit grants on real PostgreSQL: billing.acquire_grants, return_grants,
 * record_admissions, settle_holds carrying an admission, close_grants, and
 * the per-request reserve seeing the liens. After each scenario the books
 * reconcile, the two new kinds (granted_vs_open_grants,
 * key_granted_vs_open_grants) included.
 */
describe(GrantsRepository.name, () => {
  const { billing, openReplica } = useBillingDatabase();
  let sut: GrantsRepository;
  let userRpm: number;

  beforeAll(async () => {
    sut = new GrantsRepository(billing.db);
    userRpm = billing.config.DEFAULT_USER_RPM;
    await priceTestModel(billing);
  });

  const acquireCall = (customer: Customer, overrides: Partial<AcquireGrantCall> = {}): AcquireGrantCall => ({
    grantId: randomUUID(),
    edgeId: randomUUID(),
    userId: customer.userId,
    keyId: customer.keyId,
    model: TEST_MODEL,
    group: 'default',
    keyScope: keyModelScope(customer.keyId, TEST_MODEL),
    keyRpm: 100,
    userScope: userScope(customer.userId),
    userRpm,
    keyBudgetMicros: null,
    wantMicros: 1_000_000n,
    wantRequests: 1_000,
    unitMicros: UNIT,
    prices: {
      inputPerMillionMicros: 1_000_000n,
      outputPerMillionMicros: 2_000_000n,
      charactersPerMillionMicros: 0n,
      cachedInputPerMillionMicros: null,
      cacheWritePerMillionMicros: 500_000n,
      reasoningPerMillionMicros: null,
      imageMicros: null,
      audioPerMinuteMicros: null,
    },
    multiplierBp: 10_000,
    validityMs: VALIDITY_MS,
    shareDivisor: 2,
    fallbackRequests: 2,
    ...overrides,
  });

  const granted = async (call: AcquireGrantCall, repository = sut) => {
    const outcome = await repository.acquire(call);
    if (outcome.outcome !== 'granted') throw new Error(`not granted: ${outcome.outcome}`);
    return outcome;
  };

  const admission = (customer: Customer, grantId: string, overrides: Partial<AdmissionItem> = {}): AdmissionItem => ({
    admissionId: randomUUID(),
    grantId,
    userId: customer.userId,
    keyId: customer.keyId,
    model: TEST_MODEL,
    tid: '4bf92f3577b34da6a3ce929d0e0e4736',
    amountMicros: UNIT,
    ttlMs: 60_000,
    ...overrides,
  });

  const funded = async (micros: bigint): Promise<Customer> => {
    const customer = newCustomer();
    await fund(billing, customer.userId, micros);
    return customer;
  };

  const grantOf = async (grantId: string) => {
    const [grant] = await sut.grantsById([grantId]);
    if (!grant) throw new Error(`no grant ${grantId}`);
    return grant;
  };

  const expectCleanBooks = async (instance: BillingInstance = billing) => {
    const report = await reconcileReport(instance);
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
  };

  describe('acquire', () => {
    it('grants 1/divisor of what is free in each limit, as a lien and counted requests, with no ledger row', async () => {
      await awaitRoomInWindow(billing.db);
      const customer = await funded(100_000n);
      const call = acquireCall(customer);

      const outcome = await sut.acquire(call);

      expect(outcome).toEqual({
        outcome: 'granted',
        moneyMicros: 50_000n,
        requests: 50,
        keyLimit: 100,
        keyCountBefore: 0,
        validForMs: expect.any(Number),
        windowEndsInMs: expect.any(Number),
      });
      const { validForMs, windowEndsInMs } = outcome as Extract<AcquireGrantOutcome, { outcome: 'granted' }>;
      expect(validForMs).toBe(Math.min(VALIDITY_MS, windowEndsInMs));
      expect(await booksOf(billing.db, customer)).toEqual({
        balance: 100_000n,
        held: 0n,
        granted: 50_000n,
        keySpent: 0n,
        keyGranted: 50_000n,
        keyWindow: 50,
        userWindow: 50,
        ledgerRows: 1,
      });
      expect(await grantOf(call.grantId)).toMatchObject({
        edgeId: call.edgeId,
        userId: customer.userId,
        keyId: customer.keyId,
        group: 'default',
        moneyAmountMicros: 50_000n,
        moneyDrawnMicros: 0n,
        requestsAmount: 50,
        requestsDrawn: 0,
        prices: call.prices,
        status: 'open',
        drainSeq: null,
      });
      expect(await sut.liveGrants(customer.userId)).toHaveLength(1);
      expect(await sut.stillOpen([call.grantId, randomUUID()])).toBe(1);
      expect(await sut.reclaimable({ userId: customer.userId })).toEqual([
        { grantId: call.grantId, edgeId: call.edgeId },
      ]);
      expect(await sut.reclaimable({ userId: customer.userId, keyId: randomUUID() })).toEqual([]);
      await expectCleanBooks();
    });

    it('takes the smallest of what is wanted and each share, and a second grant halves what is left', async () => {
      await awaitRoomInWindow(billing.db);
      const customer = await funded(100_000n);

      const first = await granted(acquireCall(customer, { wantMicros: 2_000n, wantRequests: 10 }));
      const second = await granted(acquireCall(customer, { keyRpm: 30 }));

      expect([first.moneyMicros, first.requests]).toEqual([2_000n, 10]);
      // (30 − 10) / 2 requests; (100 000 − 2 000) / 2 micros.
      expect([second.moneyMicros, second.requests, second.keyCountBefore]).toEqual([49_000n, 10, 10]);
      expect(await booksOf(billing.db, customer)).toMatchObject({ granted: 51_000n, keyWindow: 20, userWindow: 20 });
      await expectCleanBooks();
    });

    it('declines (few_left) below the fallback floor and writes nothing, whichever limit is short', async () => {
      await awaitRoomInWindow(billing.db);
      const poor = await funded(3n * UNIT);
      const rich = await funded(100_000n);

      // Money: 600 / 2 = 300 < 2 requests of 200. Requests: 3 / 2 = 1 < 2 — the money alone would have passed.
      const outcomes = await Promise.all([
        sut.acquire(acquireCall(poor)),
        sut.acquire(acquireCall(rich, { keyRpm: 3 })),
      ]);

      expect(outcomes).toEqual([
        { outcome: 'few_left', keyLimit: 100, keyCountBefore: 0, windowEndsInMs: expect.any(Number) },
        { outcome: 'few_left', keyLimit: 3, keyCountBefore: 0, windowEndsInMs: expect.any(Number) },
      ]);
      for (const [customer, balance] of [
        [poor, 3n * UNIT],
        [rich, 100_000n],
      ] as const) {
        expect(await booksOf(billing.db, customer)).toEqual({
          balance,
          held: 0n,
          granted: 0n,
          keySpent: 0n,
          keyGranted: 0n,
          keyWindow: 0,
          userWindow: 0,
          ledgerRows: 1,
        });
        expect(await sut.liveGrants(customer.userId)).toEqual([]);
      }
      await expectCleanBooks();
    });

    it('answers no_account for a user without money, and duplicate for an id seen before', async () => {
      const nobody = newCustomer();
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);

      expect(await sut.acquire(acquireCall(nobody))).toMatchObject({ outcome: 'no_account', keyLimit: 100 });
      expect(await sut.acquire({ ...call, wantMicros: 10n })).toEqual({ outcome: 'duplicate' });
      expect((await grantOf(call.grantId)).moneyAmountMicros).toBe(50_000n);
      expect((await booksOf(billing.db, customer)).granted).toBe(50_000n);
      await expectCleanBooks();
    });

    it('grants an id once when two replicas acquire it at the same moment', async () => {
      const customer = await funded(100_000n);
      const other = new GrantsRepository(await openReplica());
      const call = acquireCall(customer);

      const outcomes = await Promise.all([sut.acquire(call), other.acquire(call), sut.acquire(call)]);

      expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['duplicate', 'duplicate', 'granted']);
      expect((await booksOf(billing.db, customer)).granted).toBe(50_000n);
      await expectCleanBooks();
    });

    it('takes the key budget as the limit when it is the smaller, and a reserve then sees the key lien', async () => {
      await awaitRoomInWindow(billing.db);
      const customer = await funded(1_000_000n);
      const budget = 1_000n;
      const first = await billing.reserve.reserve(reserveRequest(customer, { budgetMicros: budget.toString() }));
      expect(first.ok).toBe(true);

      // (1000 − 200 spent − 0 granted) / 2.
      const grant = await granted(acquireCall(customer, { keyBudgetMicros: budget }));
      expect(grant.moneyMicros).toBe(400n);

      const reserves = [];
      for (let i = 0; i < 3; i++)
        reserves.push(await billing.reserve.reserve(reserveRequest(customer, { budgetMicros: budget.toString() })));
      // 200 + 400 granted + 200 + 200 = 1000; the third would make 1200.
      expect(reserves.map((reply) => (reply.ok ? 'ok' : reply.denial.reason))).toEqual([
        'ok',
        'ok',
        DenialReason.KeyBudgetExceeded,
      ]);
      expect(await booksOf(billing.db, customer)).toMatchObject({ keySpent: 600n, keyGranted: 400n });
      await expectCleanBooks();
    });

    it('refuses per-request reserves for the money and the requests a grant took', async () => {
      await awaitRoomInWindow(billing.db);
      const broke = await funded(10n * UNIT);
      const busy = await funded(1_000_000n);

      const allMoney = await granted(acquireCall(broke, { shareDivisor: 1, fallbackRequests: 1, wantRequests: 10 }));
      const allRequests = await granted(acquireCall(busy, { shareDivisor: 1, fallbackRequests: 1, keyRpm: 10 }));
      expect([allMoney.moneyMicros, allRequests.requests]).toEqual([10n * UNIT, 10]);

      const moneyRefused = await billing.reserve.reserve(reserveRequest(broke));
      const rateRefused = await billing.reserve.reserve(reserveRequest(busy, { rpmLimit: 10 }));

      expect(moneyRefused.ok ? 'ok' : moneyRefused.denial.reason).toBe(DenialReason.InsufficientUserQuota);
      expect(rateRefused.ok ? 'ok' : rateRefused.denial.reason).toBe(DenialReason.TooManyRequests);
      // Refused reserves give their counts back: only the grants' requests are in the windows.
      expect(await booksOf(billing.db, broke)).toMatchObject({
        balance: 10n * UNIT,
        granted: 10n * UNIT,
        keyWindow: 10,
      });
      expect(await booksOf(billing.db, busy)).toMatchObject({ keyWindow: 10, userWindow: 10 });
      await expectCleanBooks();
    });

    it('refuses a call with an image or audio price before any SQL', async () => {
      const customer = newCustomer();
      const call = acquireCall(customer);

      await expect(sut.acquire({ ...call, prices: { ...call.prices, imageMicros: 1n } })).rejects.toThrow(RangeError);
      await expect(sut.acquire({ ...call, prices: { ...call.prices, audioPerMinuteMicros: 1n } })).rejects.toThrow(
        RangeError,
      );
      await expect(sut.acquire({ ...call, shareDivisor: 0 })).rejects.toThrow(RangeError);
      expect(await sut.grantsById([call.grantId])).toEqual([]);
    });
  });

  describe('return', () => {
    it('cuts a grant to what its edge admitted (never below what was drawn) and frees the rest', async () => {
      await awaitRoomInWindow(billing.db);
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      expect(
        await sut.recordAdmissions([admission(customer, call.grantId), admission(customer, call.grantId)]),
      ).toEqual(['recorded', 'recorded']);

      const outcomes = await sut.returnGrants(
        [
          { grantId: call.grantId, edgeId: randomUUID(), admittedMicros: 0n, admissions: 0, reason: 'idle' },
          { grantId: call.grantId, edgeId: call.edgeId, admittedMicros: 5n * UNIT, admissions: 5, reason: 'idle' },
          { grantId: call.grantId, edgeId: call.edgeId, admittedMicros: 0n, admissions: 0, reason: 'idle' },
          { grantId: randomUUID(), edgeId: call.edgeId, admittedMicros: 0n, admissions: 0, reason: 'idle' },
        ],
        41n,
      );

      expect(outcomes).toEqual(['unknown', 'returned', 'not_open', 'unknown']);
      expect(await grantOf(call.grantId)).toMatchObject({
        moneyAmountMicros: 5n * UNIT,
        moneyDrawnMicros: 2n * UNIT,
        requestsAmount: 5,
        requestsDrawn: 2,
        status: 'returned',
        drainSeq: 41n,
        closeReason: 'idle',
      });
      // 50 requests counted at grant time, 45 given back; 3 × 200 still earmarked for records on their way.
      expect(await booksOf(billing.db, customer)).toMatchObject({
        granted: 3n * UNIT,
        keyGranted: 3n * UNIT,
        held: 2n * UNIT,
        keyWindow: 5,
        userWindow: 5,
      });
      expect(await sut.reclaimable({ userId: customer.userId })).toEqual([]);
      await expectCleanBooks();
    });

    it('closes at once a grant returned with no more than was drawn', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      await sut.recordAdmissions([admission(customer, call.grantId)]);

      const outcomes = await sut.returnGrants(
        [{ grantId: call.grantId, edgeId: call.edgeId, admittedMicros: 0n, admissions: 0, reason: 'shutdown' }],
        7n,
      );

      expect(outcomes).toEqual(['closed']);
      expect(await grantOf(call.grantId)).toMatchObject({
        moneyAmountMicros: UNIT,
        requestsAmount: 1,
        status: 'closed',
        closeReason: 'shutdown',
        closedAt: expect.any(String),
      });
      expect(await booksOf(billing.db, customer)).toMatchObject({ granted: 0n, keyGranted: 0n });
      expect(await sut.liveGrants(customer.userId)).toEqual([]);
      await expectCleanBooks();
    });

    it('gives requests back to the rate windows only while the grant’s window is the current one', async () => {
      await awaitRoomInWindow(billing.db);
      const customer = await funded(100_000n);
      const live = acquireCall(customer, { keyRpm: 40 });
      const old = acquireCall(customer, { keyRpm: 40 });
      await granted(live);
      await granted(old);
      // As if `old` had been granted in the minute before: its requests counted in a window that has ended.
      await billing.db.query(
        `UPDATE billing.grants SET window_start = window_start - interval '1 minute' WHERE id = $1`,
        [old.grantId],
      );
      const before = await booksOf(billing.db, customer);
      expect(before).toMatchObject({ keyWindow: 30, granted: 75_000n });

      await sut.returnGrants(
        [
          { grantId: old.grantId, edgeId: old.edgeId, admittedMicros: 0n, admissions: 0, reason: 'idle' },
          { grantId: live.grantId, edgeId: live.edgeId, admittedMicros: 0n, admissions: 0, reason: 'idle' },
        ],
        1n,
      );

      // Both liens are freed; only the live grant's 20 requests go back.
      expect(await booksOf(billing.db, customer)).toMatchObject({ keyWindow: 10, userWindow: 10, granted: 0n });
      await expectCleanBooks();
    });
  });

  describe('record admissions', () => {
    it('turns an admission into its hold, once, moving its money from the lien to the hold', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      const item = admission(customer, call.grantId);

      // Two batches at once (two slots): whichever takes the account lock first records it.
      expect((await sut.recordAdmissions([item, item])).sort()).toEqual(['duplicate', 'recorded']);
      expect(await sut.recordAdmissions([item])).toEqual(['duplicate']);

      expect(await booksOf(billing.db, customer)).toMatchObject({
        balance: 100_000n - UNIT,
        held: UNIT,
        granted: 50_000n - UNIT,
        keySpent: UNIT,
        keyGranted: 50_000n - UNIT,
        ledgerRows: 2,
      });
      const [hold] = await billing.db.query<Array<Record<string, unknown>>>(
        `SELECT h.grant_id, h.group_name, h.amount_micros::text, h.cache_write_per_million_micros::text,
                h.image_price_micros, h.audio_per_minute_micros, h.tid, l.actor, l.reason, l.amount_micros::text AS ledger
           FROM billing.holds h JOIN billing.ledger l ON l.idempotency_key = 'hold:' || h.id
          WHERE h.id = $1`,
        [item.admissionId],
      );
      expect(hold).toEqual({
        grant_id: call.grantId,
        group_name: 'default',
        amount_micros: String(UNIT),
        cache_write_per_million_micros: '500000',
        image_price_micros: null,
        audio_per_minute_micros: null,
        tid: item.tid,
        actor: `key:${customer.keyId}`,
        reason: TEST_MODEL,
        ledger: String(-UNIT),
      });
      expect(await grantOf(call.grantId)).toMatchObject({ moneyDrawnMicros: UNIT, requestsDrawn: 1, status: 'open' });
      await expectCleanBooks();
    });

    it('writes nothing for an unknown grant, or one of another user', async () => {
      const customer = await funded(100_000n);
      const stranger = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);

      expect(
        await sut.recordAdmissions([admission(customer, randomUUID()), admission(stranger, call.grantId)]),
      ).toEqual(['unknown_grant', 'unknown_grant']);
      expect(await booksOf(billing.db, customer)).toMatchObject({ held: 0n, ledgerRows: 1 });
      expect(await booksOf(billing.db, stranger)).toMatchObject({ held: 0n, ledgerRows: 1 });
    });

    it('records outside the grant what comes after it closed, or beyond what it has left', async () => {
      const customer = await funded(100_000n);
      const small = acquireCall(customer, { wantMicros: 2n * UNIT, wantRequests: 2, fallbackRequests: 1 });
      const closed = acquireCall(customer, { wantMicros: 2n * UNIT, wantRequests: 2, fallbackRequests: 1 });
      await granted(small);
      await granted(closed);
      await sut.returnGrants(
        [{ grantId: closed.grantId, edgeId: closed.edgeId, admittedMicros: 0n, admissions: 0, reason: 'reclaim' }],
        3n,
      );

      const outcomes = await sut.recordAdmissions([
        admission(customer, small.grantId, { amountMicros: 3n * UNIT }),
        admission(customer, small.grantId),
        admission(customer, closed.grantId),
      ]);

      expect(outcomes).toEqual(['recorded_outside_grant', 'recorded', 'recorded_outside_grant']);
      // Each request is held and charged; only the one inside its grant left a lien.
      expect(await booksOf(billing.db, customer)).toMatchObject({
        balance: 100_000n - 5n * UNIT,
        held: 5n * UNIT,
        granted: UNIT,
        keySpent: 5n * UNIT,
        keyGranted: UNIT,
      });
      expect(await grantOf(closed.grantId)).toMatchObject({ status: 'closed', moneyDrawnMicros: 0n });
      await expectCleanBooks();
    });

    it('closes a returned grant when its last record arrives', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      const [first, second] = [admission(customer, call.grantId), admission(customer, call.grantId)];
      await sut.recordAdmissions([first]);
      await sut.returnGrants(
        [{ grantId: call.grantId, edgeId: call.edgeId, admittedMicros: 2n * UNIT, admissions: 2, reason: 'idle' }],
        9n,
      );
      expect((await grantOf(call.grantId)).status).toBe('returned');

      expect(await sut.recordAdmissions([second])).toEqual(['recorded']);

      expect(await grantOf(call.grantId)).toMatchObject({
        status: 'closed',
        closedAt: expect.any(String),
        moneyDrawnMicros: 2n * UNIT,
        requestsDrawn: 2,
      });
      expect(await booksOf(billing.db, customer)).toMatchObject({ granted: 0n, keyGranted: 0n, held: 2n * UNIT });
      await expectCleanBooks();
    });
  });

  describe('settlements carrying their admission', () => {
    /** 100 in + 20 out at the test model's prices. */
    const COST = 140n;

    const settleWithAdmission = async (db: DataSource, item: AdmissionItem) => {
      const rows = await db.query<Array<{ r_outcome: string; r_held: string | null }>>(
        `SELECT * FROM billing.settle_holds($1::jsonb)`,
        [JSON.stringify([{ ...settleItem(item.admissionId, COST), admission: admissionJson(item) }])],
      );
      return rows.map((row) => [row.r_outcome, row.r_held]);
    };

    it('creates the hold and settles it when the settlement comes first; the record then changes nothing', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      const item = admission(customer, call.grantId);

      expect(await settleWithAdmission(billing.db, item)).toEqual([['settled', String(UNIT)]]);
      expect(await sut.recordAdmissions([item])).toEqual(['duplicate']);

      expect(await booksOf(billing.db, customer)).toMatchObject({
        balance: 100_000n - COST,
        held: 0n,
        granted: 50_000n - UNIT,
        keySpent: COST,
        keyGranted: 50_000n - UNIT,
        ledgerRows: 4,
      });
      expect(await grantOf(call.grantId)).toMatchObject({ moneyDrawnMicros: UNIT, requestsDrawn: 1 });
      await expectCleanBooks();
    });

    it('settles the hold the record made when the record came first', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      const item = admission(customer, call.grantId);
      await sut.recordAdmissions([item]);

      expect(await settleWithAdmission(billing.db, item)).toEqual([['settled', String(UNIT)]]);
      expect(await settleWithAdmission(billing.db, item)).toEqual([['not_open', null]]);

      expect(await booksOf(billing.db, customer)).toMatchObject({
        balance: 100_000n - COST,
        held: 0n,
        granted: 50_000n - UNIT,
        ledgerRows: 4,
      });
      await expectCleanBooks();
    });

    it('refuses a settlement whose admission is for another hold', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      const item = admission(customer, call.grantId);

      await expect(
        billing.db.query(`SELECT * FROM billing.settle_holds($1::jsonb)`, [
          JSON.stringify([{ ...settleItem(randomUUID(), COST), admission: admissionJson(item) }]),
        ]),
      ).rejects.toThrow('carries the admission of');
      expect(await booksOf(billing.db, customer)).toMatchObject({ held: 0n, ledgerRows: 1 });
    });
  });

  describe('close', () => {
    // Each round sweeps the whole database: the grants earlier specs left open or returned are closed first,
    // through the functions themselves, so that a round's counts are this spec's own.
    beforeEach(async () => {
      const open = await billing.db.query<Array<{ id: string; edge_id: string }>>(
        `SELECT id, edge_id FROM billing.grants WHERE status = 'open'`,
      );
      await sut.returnGrants(
        open.map((grant) => ({
          grantId: grant.id,
          edgeId: grant.edge_id,
          admittedMicros: 0n,
          admissions: 0,
          reason: 'spec',
        })),
        0n,
      );
      await sut.closeGrants(0n, 2n ** 62n, 0);
      expect(await billing.db.query(`SELECT id FROM billing.grants WHERE status <> 'closed'`)).toEqual([]);
    });

    it('closes a returned grant only once the ack floor reaches its drain sequence, then frees the rest', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      await sut.recordAdmissions([admission(customer, call.grantId)]);
      await sut.returnGrants(
        [{ grantId: call.grantId, edgeId: call.edgeId, admittedMicros: 4n * UNIT, admissions: 4, reason: 'idle' }],
        100n,
      );

      const early = await sut.closeGrants(120n, 99n, 1_000);
      expect(early).toEqual({ drained: 0, closed: 0, freedMicros: 0n });
      expect(await grantOf(call.grantId)).toMatchObject({ status: 'returned', moneyAmountMicros: 4n * UNIT });
      expect((await booksOf(billing.db, customer)).granted).toBe(3n * UNIT);

      const due = await sut.closeGrants(121n, 100n, 1_000);

      expect(due).toEqual({ drained: 0, closed: 1, freedMicros: 3n * UNIT });
      expect(await grantOf(call.grantId)).toMatchObject({
        status: 'closed',
        moneyAmountMicros: UNIT,
        requestsAmount: 1,
        drainSeq: 100n,
      });
      expect(await booksOf(billing.db, customer)).toMatchObject({ granted: 0n, keyGranted: 0n, held: UNIT });
      await expectCleanBooks();
    });

    it('drains an open grant past its expiry and grace, keeping its lien until the ack floor passes', async () => {
      const customer = await funded(100_000n);
      const expired = acquireCall(customer);
      const inGrace = acquireCall(customer);
      const expiredGrant = await granted(expired);
      await granted(inGrace);
      await billing.db.query(`UPDATE billing.grants SET expires_at = now() - interval '2 seconds' WHERE id = $1`, [
        expired.grantId,
      ]);
      await billing.db.query(
        `UPDATE billing.grants SET expires_at = now() - interval '100 milliseconds' WHERE id = $1`,
        [inGrace.grantId],
      );
      const lien = (await booksOf(billing.db, customer)).granted;

      const drained = await sut.closeGrants(200n, 150n, 1_000);

      expect(drained).toMatchObject({ drained: 1, closed: 0 });
      expect(await grantOf(expired.grantId)).toMatchObject({
        status: 'draining',
        drainSeq: 200n,
        closeReason: 'expired',
      });
      expect((await grantOf(inGrace.grantId)).status).toBe('open');
      expect((await booksOf(billing.db, customer)).granted).toBe(lien);
      await expectCleanBooks();

      // A record appended before the edge died is still applied inside the grant.
      expect(await sut.recordAdmissions([admission(customer, expired.grantId)])).toEqual(['recorded']);
      const closed = await sut.closeGrants(201n, 200n, 1_000);

      expect(closed).toMatchObject({ closed: 1, freedMicros: expiredGrant.moneyMicros - UNIT });
      expect(await grantOf(expired.grantId)).toMatchObject({ status: 'closed', moneyAmountMicros: UNIT });
      await expectCleanBooks();
    });

    it('closes a used-up grant as soon as it drains, whatever the ack floor', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer, { wantMicros: 2n * UNIT, wantRequests: 2, fallbackRequests: 1 });
      await granted(call);
      await sut.recordAdmissions([admission(customer, call.grantId), admission(customer, call.grantId)]);
      await billing.db.query(`UPDATE billing.grants SET expires_at = now() - interval '2 seconds' WHERE id = $1`, [
        call.grantId,
      ]);

      const round = await sut.closeGrants(300n, 0n, 1_000);

      expect(round).toMatchObject({ drained: 1 });
      expect(await grantOf(call.grantId)).toMatchObject({ status: 'closed', closeReason: 'expired' });
      expect((await booksOf(billing.db, customer)).granted).toBe(0n);
      await expectCleanBooks();
    });

    it('does nothing while another replica sweeps, and deletes grants closed more than a day ago', async () => {
      const customer = await funded(100_000n);
      const call = acquireCall(customer);
      await granted(call);
      await sut.returnGrants(
        [{ grantId: call.grantId, edgeId: call.edgeId, admittedMicros: 0n, admissions: 0, reason: 'idle' }],
        1n,
      );
      await billing.db.query(`UPDATE billing.grants SET closed_at = now() - interval '25 hours' WHERE id = $1`, [
        call.grantId,
      ]);
      const other = await openReplica();
      const sweeping = other.createQueryRunner();
      await sweeping.connect();
      await sweeping.startTransaction();
      try {
        await sweeping.query(`SELECT pg_advisory_xact_lock(hashtext('tollgate-billing-grant-sweep'))`);
        expect(await sut.closeGrants(1n, 1n, 0)).toEqual({ drained: 0, closed: 0, freedMicros: 0n });
        expect(await sut.grantsById([call.grantId])).toHaveLength(1);
      } finally {
        await sweeping.rollbackTransaction();
        await sweeping.release();
      }

      await sut.closeGrants(1n, 1n, 0);

      expect(await sut.grantsById([call.grantId])).toEqual([]);
      await expectCleanBooks();
    });
  });

  describe('staff adjustments', () => {
    it('refuses a debit that would take balance − granted below zero', async () => {
      const customer = await funded(1_000n);
      await granted(acquireCall(customer, { shareDivisor: 1, fallbackRequests: 1, wantMicros: 600n }));

      const refused = await billing.adjustments.adjust({
        userId: customer.userId,
        amountMicros: '-500',
        actor: 'spec',
        reason: 'a debit beyond what is free',
        idempotencyKey: `debit-${randomUUID()}`,
      });
      const applied = await billing.adjustments.adjust({
        userId: customer.userId,
        amountMicros: '-400',
        actor: 'spec',
        reason: 'a debit of what is free',
        idempotencyKey: `debit-${randomUUID()}`,
      });

      expect(refused.ok).toBe(false);
      expect(applied.ok).toBe(true);
      expect(await booksOf(billing.db, customer)).toMatchObject({ balance: 600n, granted: 600n });
      await expectCleanBooks();
    });
  });

  describe('concurrency', () => {
    it('never promises more than the balance across acquires, reserves, records and returns on two replicas', async () => {
      const replica = billingInstance(await openReplica());
      const repositories = [sut, new GrantsRepository(replica.db)];
      const instances = [billing, replica];
      const funding = 40n * UNIT;
      const customer = await funded(funding);

      const seen: string[] = [];
      const work = Array.from({ length: 80 }, async (_, i) => {
        const on = i % 2;
        if (i % 3 === 0) {
          const call = acquireCall(customer, {
            wantMicros: 6n * UNIT,
            wantRequests: 6,
            fallbackRequests: 1,
            keyRpm: 100_000,
          });
          const outcome = await repositories[on].acquire(call);
          seen.push(outcome.outcome);
          if (outcome.outcome !== 'granted') return;
          // The edge admits one request and gives the rest back.
          await repositories[1 - on].recordAdmissions([admission(customer, call.grantId)]);
          await repositories[on].returnGrants(
            [{ grantId: call.grantId, edgeId: call.edgeId, admittedMicros: UNIT, admissions: 1, reason: 'idle' }],
            BigInt(i),
          );
          return;
        }
        const reply = await instances[on].reserve.reserve(reserveRequest(customer));
        seen.push(reply.ok ? 'reserved' : reply.denial.reason);
      });
      await Promise.all(work);

      // The balance ran out: some of each were served, some refused.
      expect(new Set(seen)).toEqual(new Set(['granted', 'few_left', 'reserved', DenialReason.InsufficientUserQuota]));
      const books = await booksOf(billing.db, customer);
      const [{ promised }] = await billing.db.query<[{ promised: string }]>(
        `SELECT (SELECT coalesce(sum(amount_micros), 0) FROM billing.holds WHERE user_id = $1)
              + (SELECT coalesce(sum(money_amount - money_drawn), 0) FROM billing.grants
                  WHERE user_id = $1 AND status <> 'closed') AS promised`,
        [customer.userId],
      );
      expect(books.balance - books.granted).toBeGreaterThanOrEqual(0n);
      expect(BigInt(promised)).toBeLessThanOrEqual(funding);
      for (const repository of repositories) {
        expect(repository.batchStats.acquire.failedBatches).toBe(0);
        expect(repository.batchStats.record.failedBatches).toBe(0);
      }
      for (const instance of instances) expect(instance.holds.batchStats.failedBatches).toBe(0);
      await expectCleanBooks(replica);
    });
  });
});

/** The money and counts of one customer, straight from the tables (the windows: the current minute's). */
async function booksOf(db: DataSource, customer: Customer) {
  const [row] = await db.query<
    Array<{
      balance: string | null;
      held: string | null;
      granted: string | null;
      key_spent: string | null;
      key_granted: string | null;
      key_window: number | null;
      user_window: number | null;
      ledger_rows: number;
    }>
  >(
    `SELECT a.balance_micros AS balance, a.held_micros AS held, a.granted_micros AS granted,
            k.spent_micros AS key_spent, k.granted_micros AS key_granted,
            (SELECT count FROM billing.rate_windows WHERE scope = $3 AND window_start = date_trunc('minute', now())) AS key_window,
            (SELECT count FROM billing.rate_windows WHERE scope = $4 AND window_start = date_trunc('minute', now())) AS user_window,
            (SELECT count(*)::integer FROM billing.ledger WHERE user_id = $1) AS ledger_rows
       FROM (SELECT 1) one
       LEFT JOIN billing.accounts a ON a.user_id = $1
       LEFT JOIN billing.key_spend k ON k.key_id = $2`,
    [customer.userId, customer.keyId, keyModelScope(customer.keyId, TEST_MODEL), userScope(customer.userId)],
  );
  return {
    balance: BigInt(row?.balance ?? 0),
    held: BigInt(row?.held ?? 0),
    granted: BigInt(row?.granted ?? 0),
    keySpent: BigInt(row?.key_spent ?? 0),
    keyGranted: BigInt(row?.key_granted ?? 0),
    keyWindow: row?.key_window ?? 0,
    userWindow: row?.user_window ?? 0,
    ledgerRows: row?.ledger_rows ?? 0,
  };
}

/** One item of billing.settle_holds for a successful request of 100 in + 20 out, charged `cost`. */
function settleItem(holdId: string, cost: bigint): object {
  return {
    holdId,
    cost: cost.toString(),
    succeeded: true,
    reason: `${TEST_MODEL}: 100 in, 20 out`,
    tid: null,
    actor: 'settlement',
    channelId: 1,
    inputTokens: 100,
    outputTokens: 20,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    images: 0,
    characters: 0,
    audioSeconds: 0,
    latencyMs: 10,
    httpStatus: 200,
    stream: false,
  };
}
