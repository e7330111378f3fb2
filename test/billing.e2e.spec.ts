import { beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { SETTLEMENT_STREAM, type Settlement } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { balanceOf, expectBooksBalanced, type LedgerEntry } from './support/ledger.js';
import { useSuite } from './support/suite.js';

const QUOTA = 'Your account balance is insufficient. Please recharge your account to continue using the API.';

interface ErrorBody {
  error: { message: string; code: string | null; tid: string };
}

describe('billing: exact balances, holds, settlements, rate limits', () => {
  const suite = useSuite({ replicas: { billing: 2 } });

  beforeAll(async () => {
    // Output-only pricing, 1 micro-unit per token, and an upstream that always
    // reports exactly max_tokens: every request costs exactly what it holds.
    await createChannel(suite, { models: ['exact', 'slow', 'limited', 'budget'] });
    suite.fake.setDefaults({ completionTokens: 10 });
    for (const model of ['exact', 'slow', 'limited', 'budget']) await setPrice(suite, model, '0', '1');
  });

  /** What billing logged about settlements for holds already closed, for the settlement with this tid. */
  const closedHoldNotices = (tid: string) =>
    suite
      .logs('billing')
      .split('\n')
      .filter((line) => line.includes(tid))
      .map((line) => JSON.parse(line) as { holdId: string; status: string; msg: string })
      .filter((entry) => entry.msg === 'settlement for a closed hold; nothing to do')
      .map(({ holdId, status, msg }) => ({ holdId, status, msg }));

  const chat = async (key: string, model: string) => {
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody };
  };

  it('never overspends: a balance for exactly K requests serves exactly K of 200 concurrent ones', async () => {
    const K = 37;
    // Each request holds exactly 10 micro-units (10 output tokens at 1 micro-unit each).
    const customer = await createCustomer(suite, {
      balance: ((K * 10) / 1_000_000).toFixed(6),
      key: { rpm_limit: 10_000 },
    });
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(customer.key, 'exact')));
    const served = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 403 && r.body.error.message === QUOTA);
    expect(served).toBe(K);
    expect(refused).toHaveLength(200 - K);
    expect(refused.every((r) => r.body.error.code === 'insufficient_user_quota')).toBe(true);
    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(ledger.filter((e) => e.type === 'charge')).toHaveLength(K);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(0n);
  });

  it('charges a settlement once, however often it is delivered', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    expect((await chat(customer.key, 'exact')).status).toBe(200);
    const ledger = await expectBooksBalanced(suite, customer.userId);
    const charge = ledger.find((e) => e.type === 'charge');
    expect(charge?.hold_id).toBeTruthy();

    const duplicate: Settlement = {
      holdId: String(charge?.hold_id),
      tid: '0'.repeat(31) + '1',
      userId: customer.userId,
      keyId: customer.keyId,
      model: 'exact',
      channelId: null,
      succeeded: true,
      usage: { inputTokens: 0, outputTokens: 500_000, images: 0, characters: 0 },
      httpStatus: 200,
      latencyMs: 1,
      stream: false,
    };
    const nats = await connect({ servers: suite.natsUrl });
    try {
      const js = jetstream(nats);
      // The same message id: JetStream drops it; another id: billing's own idempotency must.
      const same = await js.publish(SETTLEMENT_STREAM.subject, JSON.stringify(duplicate), { msgID: duplicate.holdId });
      expect(same.duplicate).toBe(true);
      const again = await js.publish(SETTLEMENT_STREAM.subject, JSON.stringify(duplicate), {
        msgID: `${duplicate.holdId}-again`,
      });
      expect(again.duplicate).toBe(false);
    } finally {
      await nats.close();
    }
    // The copy the stream kept reached billing, which found the hold settled and changed nothing.
    await eventually(
      () =>
        expect(closedHoldNotices(duplicate.tid)).toEqual([
          { holdId: duplicate.holdId, status: 'settled', msg: 'settlement for a closed hold; nothing to do' },
        ]),
      { timeoutMs: 10_000 },
    );
    const after = await expectBooksBalanced(suite, customer.userId);
    expect(after.filter((e) => e.type === 'charge')).toHaveLength(1);
    expect(after).toHaveLength(ledger.length);
  });

  it('loses and doubles nothing when billing stops during a burst of 500 requests and comes back', async () => {
    const customer = await createCustomer(suite, { balance: '100', key: { rpm_limit: 100_000 } });
    suite.fake.setDefaults({ byModel: { slow: { latencyMs: 150 } } });
    let served = 0;
    const burst = (async () => {
      const queue = Array.from({ length: 500 }, (_, i) => i);
      await Promise.all(
        Array.from({ length: 25 }, async () => {
          while (queue.shift() !== undefined) if ((await chat(customer.key, 'slow')).status === 200) served++;
        }),
      );
    })();
    // Let holds pile up in flight, then take billing away while their settlements are being published.
    await eventually(
      () => {
        if (served < 50) throw new Error(`the burst has served ${served} requests so far`);
      },
      { timeoutMs: 20_000 },
    );
    await suite.stopService('billing');
    // Billing stays away until settlements published since wait for it in the stream.
    const nats = await connect({ servers: suite.natsUrl });
    try {
      const jsm = await jetstreamManager(nats);
      await eventually(async () => {
        const info = await jsm.consumers.info(SETTLEMENT_STREAM.stream, SETTLEMENT_STREAM.durableConsumer);
        if (info.num_pending + info.num_ack_pending === 0) throw new Error('no settlement is waiting for billing');
      });
    } finally {
      await nats.close();
    }
    await suite.startService('billing');
    await suite.startService('billing');
    await burst;
    await eventually(async () => expect((await fetch(`${suite.edgeUrl}/healthz`)).status).toBe(200), {
      timeoutMs: 15_000,
    });
    suite.fake.setDefaults({ byModel: { slow: null } });

    expect(served).toBeGreaterThan(50);
    // A settlement a stopping replica had pulled but not yet seen comes back after the ack wait (30 s).
    const ledger = await expectBooksBalanced(suite, customer.userId, 45_000);
    const charges = ledger.filter((e) => e.type === 'charge');
    expect(charges).toHaveLength(served);
    expect(new Set(charges.map((e) => e.hold_id)).size).toBe(served);
  }, 120_000);

  it('holds a key to its rate limit exactly across two billing replicas, with Retry-After and RateLimit headers', async () => {
    const customer = await createCustomer(suite, { balance: '10', key: { rpm_limit: 10 } });
    const results = await Promise.all(Array.from({ length: 30 }, () => chat(customer.key, 'limited')));
    const served = results.filter((r) => r.status === 200);
    expect(served).toHaveLength(10);
    expect(served.map((r) => r.headers.get('ratelimit-limit'))).toEqual(Array(10).fill('10'));
    expect(served.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(20);
    const sample = limited[0];
    expect(sample?.body.error.message).toBe('The limited model Too many requests; please try again later.');
    expect(Number(sample?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sample?.headers.get('ratelimit-limit')).toBe('10');
    expect(sample?.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('refuses a key whose budget is spent with its own error', async () => {
    const customer = await createCustomer(suite, { balance: '10', key: { budget: '0.000025' } });
    expect((await chat(customer.key, 'budget')).status).toBe(200);
    expect((await chat(customer.key, 'budget')).status).toBe(200);
    const refused = await chat(customer.key, 'budget');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_key_quota');
    expect(refused.body.error.message).toContain(customer.key.slice(-6));
  });

  it('releases the hold of a request the router refused', async () => {
    await setPrice(suite, 'no-channel', '0', '1');
    const customer = await createCustomer(suite, { balance: '1' });
    const result = await chat(customer.key, 'no-channel');
    expect(result.status).toBe(503);
    expect(result.body.error.message).toMatch(/^Incorrect model ID/);
    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(ledger.map((e) => e.type).sort()).toEqual(['hold', 'release', 'topup']);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(1_000_000n);
  });

  it("charges a group's members at the group's multiplier", async () => {
    await createChannel(suite, { models: ['exact-vip'], groups: ['vip'] });
    await setPrice(suite, 'exact-vip', '0', '1');
    const set = await suite.admin<{ group: string; multiplier: string }>('PUT', '/admin/v1/groups/vip/multiplier', {
      multiplier: '0.5',
    });
    expect(set.body).toMatchObject({ group: 'vip', multiplier: '0.5000' });
    const bad = await suite.admin<ErrorBody>('PUT', '/admin/v1/groups/vip/multiplier', { multiplier: '0.00001' });
    expect(bad.status).toBe(400);

    const customer = await createCustomer(suite, { balance: '1', group: 'vip' });
    expect((await chat(customer.key, 'exact-vip')).status).toBe(200);
    const ledger = await expectBooksBalanced(suite, customer.userId);
    // 10 output tokens at 1 micro-unit each, halved.
    expect(ledger.find((e) => e.type === 'charge')?.amount).toBe('-0.000005');
  });

  it('never serves a model without a price', async () => {
    await createChannel(suite, { models: ['unpriced'] });
    const customer = await createCustomer(suite, { balance: '10' });
    const result = await chat(customer.key, 'unpriced');
    expect(result.status).toBe(503);
    expect(result.body.error.code).toBe('model_price_missing');
  });

  it('shows staff the ledger (filtered, paged, as CSV), usage by day, and key holders their own dashboard', async () => {
    const customer = await createCustomer(suite, { balance: '2' });
    for (let i = 0; i < 3; i++) expect((await chat(customer.key, 'exact')).status).toBe(200);
    await expectBooksBalanced(suite, customer.userId);

    const charges = await suite.admin<{ data: LedgerEntry[]; next_cursor: string | null }>(
      'GET',
      `/admin/v1/users/${customer.userId}/ledger?type=charge&limit=2`,
    );
    expect(charges.body.data.map((e) => e.type)).toEqual(['charge', 'charge']);
    expect(charges.body.next_cursor).toBeTruthy();
    const rest = await suite.admin<{ data: LedgerEntry[]; next_cursor: string | null }>(
      'GET',
      `/admin/v1/users/${customer.userId}/ledger?type=charge&limit=2&cursor=${charges.body.next_cursor}`,
    );
    expect([rest.body.data.length, rest.body.next_cursor]).toEqual([1, null]);
    const future = await suite.admin<{ data: LedgerEntry[] }>(
      'GET',
      `/admin/v1/users/${customer.userId}/ledger?from=2999-01-01`,
    );
    expect(future.body.data).toEqual([]);
    // A request's lines, found by the tid the customer quotes (any case): its hold, release and charge.
    const tid = charges.body.data[0].tid!;
    const traced = await suite.admin<{ data: LedgerEntry[] }>(
      'GET',
      `/admin/v1/users/${customer.userId}/ledger?tid=${tid.toUpperCase()}`,
    );
    expect(traced.body.data.map((e) => [e.type, e.tid])).toEqual([
      ['charge', tid],
      ['release', tid],
      ['hold', tid],
    ]);
    const badTid = await suite.admin<ErrorBody>('GET', `/admin/v1/users/${customer.userId}/ledger?tid=abc`);
    expect([badTid.status, badTid.body.error.code]).toEqual([400, 'invalid_request']);
    expect(badTid.body.error.message).toContain('tid must be a tid');
    const badType = await suite.admin<ErrorBody>('GET', `/admin/v1/users/${customer.userId}/ledger?type=bogus`);
    expect([badType.status, badType.body.error.code]).toEqual([400, 'invalid_request']);
    const badCursor = await suite.admin<ErrorBody>('GET', `/admin/v1/users/${customer.userId}/ledger?cursor=abc`);
    expect([badCursor.status, badCursor.body.error.code]).toEqual([400, 'invalid_request']);

    const csv = await fetch(`${suite.edgeUrl}/admin/v1/users/${customer.userId}/ledger?format=csv`, {
      headers: { authorization: `Bearer ${suite.rootKey}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,user_id,user_name,type,amount,balance_after,hold_id,actor,actor_name,reason,tid,idempotency_key',
    );
    expect(lines).toHaveLength(1 + 1 + 3 * 3); // header, top-up, and hold + release + charge per request

    type UsageRow = { user_id: string; model: string; requests: number; output_tokens: number; cost: string };
    const usage = await suite.admin<{ data: UsageRow[] }>('GET', `/admin/v1/usage?user_id=${customer.userId}`);
    expect(usage.body.data).toEqual([
      expect.objectContaining({
        user_id: customer.userId,
        model: 'exact',
        requests: 3,
        output_tokens: 30,
        cost: '0.000030',
      }),
    ]);

    const asCustomer = (path: string) =>
      fetch(`${suite.edgeUrl}${path}`, { headers: { authorization: `Bearer ${customer.key}` } }).then(
        async (r) => [r.status, await r.json()] as const,
      );
    const [subscriptionStatus, subscription] = await asCustomer('/v1/dashboard/billing/subscription');
    expect(subscriptionStatus).toBe(200);
    expect(subscription).toMatchObject({ object: 'billing_subscription', hard_limit_usd: 1.99997 });
    const [usageStatus, dashboardUsage] = await asCustomer('/v1/dashboard/billing/usage');
    expect(usageStatus).toBe(200);
    expect((dashboardUsage as { total_usage: number }).total_usage).toBeCloseTo(0.003, 10);
  });

  it('applies an adjustment once per idempotency key, and a batch all or nothing', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    const adjust = () =>
      suite.admin<{ replayed: boolean; balance: { balance: string } }>(
        'POST',
        `/admin/v1/users/${customer.userId}/adjustments`,
        { amount: '-1.5', reason: 'refund correction', idempotency_key: `adj-${customer.userId}` },
      );
    const first = await adjust();
    const second = await adjust();
    expect([first.status, first.body.replayed, first.body.balance.balance]).toEqual([201, false, '3.500000']);
    expect([second.status, second.body.replayed, second.body.balance.balance]).toEqual([200, true, '3.500000']);

    const rows = [
      { user_id: customer.userId, amount: '1', reason: 'goodwill', idempotency_key: `b1-${customer.userId}` },
      { user_id: customer.userId, amount: '-100', reason: 'too much', idempotency_key: `b2-${customer.userId}` },
    ];
    const dry = await suite.admin<{
      applied: boolean;
      counts: { would_apply: number; error: number };
      failed_rows: { index: number; error: string }[];
    }>('POST', '/admin/v1/adjustments/batch', { rows, dry_run: true });
    expect(dry.status).toBe(201);
    expect(dry.body.applied).toBe(false);
    expect(dry.body.counts).toMatchObject({ would_apply: 1, error: 1 });
    expect(dry.body.failed_rows.map((r) => [r.index, r.error])).toEqual([[1, 'below_zero']]);
    const applied = await suite.admin<{ applied: boolean }>('POST', '/admin/v1/adjustments/batch', { rows });
    expect(applied.body.applied).toBe(false);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(3_500_000n);

    const good = await suite.admin<{ applied: boolean }>('POST', '/admin/v1/adjustments/batch', {
      rows: rows.slice(0, 1),
    });
    expect(good.body.applied).toBe(true);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(4_500_000n);
    await expectBooksBalanced(suite, customer.userId);
  });
});
