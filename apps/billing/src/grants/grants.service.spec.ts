import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AcquireGrantRequest, AdmissionRecord, EventSubject, GrantsReclaim } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { ReserveService } from '../holds/reserve.service.js';
import {
  billingInstance,
  fund,
  moneyOf,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  settlementFor,
  testConfig,
  TEST_MODEL,
  type BillingInstance,
  type Customer,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { AdmissionStreamPosition } from './admission-stream-position.js';
import { admissionItem } from './admission-item.js';
import { GrantReclaimer } from './grant-reclaimer.js';
import { GrantsService } from './grants.service.js';

const EDGE = '0b6a3c56-8f4f-4c1e-9d0f-6f1f0a3f2b11';
/** No edge in these specs appends records: the stream stands still at 0. */
const STILL_STREAM = { lastSeq: async () => 0n, ackFloor: async () => 0n, pending: async () => 0 };

/**
 * GrantsService over real PostgreSQL: what an edge is granted (and quoted),
 * what it gives back, how a refused reserve asks grants back and tries once
 * more, and how a settlement of an admitted request records and settles it.
 * GrantsRepository's own spec covers the SQL in depth.
 */
describe(GrantsService.name, () => {
  // One request's worth is enough for a grant here: the specs work with a few requests.
  const config = testConfig({ GRANT_FALLBACK_REQUESTS: '1' });
  const { billing: base } = useBillingDatabase(config);
  let billing: BillingInstance;
  let sut: GrantsService;

  beforeAll(async () => {
    billing = billingInstance(base.db, config);
    await priceTestModel(billing);
    sut = new GrantsService(billing.book, billing.grants, STILL_STREAM as unknown as AdmissionStreamPosition, config);
  });

  const acquireFor = (customer: Customer, overrides: Partial<AcquireGrantRequest> = {}) =>
    sut.acquire({
      grantId: randomUUID(),
      edgeId: EDGE,
      userId: customer.userId,
      keyId: customer.keyId,
      keySuffix: 'a1B2c3',
      group: 'default',
      model: TEST_MODEL,
      rpmLimit: 100_000,
      budgetMicros: null,
      wantRequests: 4,
      wantMicros: '800',
      unitMicros: '200',
      ...overrides,
    });

  const admissionOn = (customer: Customer, grantId: string, amountMicros = '200'): AdmissionRecord => ({
    admissionId: randomUUID(),
    grantId,
    edgeId: EDGE,
    tid: '4bf92f3577b34da6a3ce929d0e0e4736',
    userId: customer.userId,
    keyId: customer.keyId,
    model: TEST_MODEL,
    amountMicros,
    admittedAt: new Date().toISOString(),
  });

  const grantedMicros = async (userId: string) => {
    const [row] = await billing.db.query<Array<{ granted_micros: string }>>(
      `SELECT granted_micros FROM billing.accounts WHERE user_id = $1`,
      [userId],
    );
    return BigInt(row.granted_micros);
  };

  it('grants at most half of what is free, quoted at the model’s prices, and takes it back on return', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);

    const answer = await acquireFor(customer);

    expect(answer).toEqual({
      granted: expect.objectContaining({
        moneyMicros: '500',
        requests: 4,
        quote: expect.objectContaining({ inputPerMillionMicros: '1000000', outputPerMillionMicros: '2000000' }),
        validForMs: expect.any(Number),
      }),
      declined: null,
      retryAfterMs: 0,
    });
    expect(answer.granted?.validForMs).toBeLessThanOrEqual(config.GRANT_VALIDITY_MS);
    expect(await grantedMicros(customer.userId)).toBe(500n);
    expect((await sut.list(customer.userId)).ok).toBe(true);

    const grantId = answer.granted?.grantId ?? '';
    const returned = await sut.returnGrants({
      edgeId: EDGE,
      returns: [{ grantId, admittedMicros: '0', admissions: 0, reason: 'idle' }],
    });

    expect(returned).toEqual({ results: [{ grantId, outcome: 'closed' }] });
    expect(await grantedMicros(customer.userId)).toBe(0n);
    expect((await reconcileReport(billing)).differences).toEqual([]);
  });

  it('declines a model without a price, for a while, and grants nothing', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);

    expect(await acquireFor(customer, { model: 'unpriced-model' })).toEqual({
      granted: null,
      declined: 'unpriced',
      retryAfterMs: expect.any(Number),
    });
    expect(await grantedMicros(customer.userId)).toBe(0n);
  });

  it('asks grants back before it refuses a reserve, and serves it with the money they held', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const grant = await acquireFor(customer);
    expect(grant.granted?.moneyMicros).toBe('500');

    // An edge that hears the reclaim and returns what it was asked for, unused.
    const broadcasts: GrantsReclaim[] = [];
    const answeringEdge = {
      broadcast: <Payload>(_subject: EventSubject<Payload>, payload: Payload) => {
        const reclaim = payload as GrantsReclaim;
        broadcasts.push(reclaim);
        void sut.returnGrants({
          edgeId: EDGE,
          returns: (reclaim.grantIds ?? []).map((grantId) => ({
            grantId,
            admittedMicros: '0',
            admissions: 0,
            reason: 'reclaimed' as const,
          })),
        });
      },
    };
    const reserve = new ReserveService(
      billing.book,
      billing.holds,
      new GrantReclaimer(billing.grants, answeringEdge, config, billing.logger),
      config,
    );

    // 500 free: two reserves of 200 fit, the third only with the grant's 500 back.
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await reserve.reserve(reserveRequest(customer)));

    expect(replies.map((reply) => reply.ok)).toEqual([true, true, true]);
    expect(broadcasts).toEqual([{ reason: 'needed_elsewhere', grantIds: [grant.granted?.grantId] }]);
    expect(await grantedMicros(customer.userId)).toBe(0n);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 400n, held: 600n, ledger: 400n });
  });

  it('refuses as before when nothing is reclaimable, without broadcasting', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 100n);
    const broadcasts: unknown[] = [];
    const reserve = new ReserveService(
      billing.book,
      billing.holds,
      new GrantReclaimer(billing.grants, { broadcast: (...args) => broadcasts.push(args) }, config, billing.logger),
      config,
    );

    const reply = await reserve.reserve(reserveRequest(customer));

    expect(reply).toEqual({ ok: false, denial: { reason: DenialReason.InsufficientUserQuota } });
    expect(broadcasts).toEqual([]);
  });

  it('records and settles an admitted request whose settlement arrives before its record, once', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const grantId = (await acquireFor(customer)).granted?.grantId ?? '';
    const admission = admissionOn(customer, grantId);

    const outcome = await billing.settle.settle({
      ...settlementFor(customer, admission.admissionId),
      admission,
    });

    // 100 in + 20 out at 1 and 2 micros a token: 140 charged, at the grant's prices.
    expect(outcome).toEqual({ kind: 'settled', chargedMicros: 140n, releasedMicros: 200n });
    expect(await billing.grants.recordAdmissions([admissionItem(admission, config.HOLD_TTL_MS)])).toEqual([
      'duplicate',
    ]);
    expect(await billing.settle.settle({ ...settlementFor(customer, admission.admissionId), admission })).toEqual({
      kind: 'not_open',
      status: 'settled',
    });
    // The grant lent 500; 200 of it became the hold, now settled at 140.
    expect(await grantedMicros(customer.userId)).toBe(300n);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
    expect((await reconcileReport(billing)).differences).toEqual([]);
  });

  it('settles the hold an admission record made when the record came first', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const grantId = (await acquireFor(customer)).granted?.grantId ?? '';
    const admission = admissionOn(customer, grantId);
    expect(await billing.grants.recordAdmissions([admissionItem(admission, config.HOLD_TTL_MS)])).toEqual(['recorded']);
    expect(await billing.holds.openHolds(customer.userId)).toEqual([
      expect.objectContaining({ holdId: admission.admissionId, grantId, amountMicros: '200' }),
    ]);

    const outcome = await billing.settle.settle({ ...settlementFor(customer, admission.admissionId), admission });

    expect(outcome).toEqual({ kind: 'settled', chargedMicros: 140n, releasedMicros: 200n });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
    expect((await reconcileReport(billing)).differences).toEqual([]);
  });
});
