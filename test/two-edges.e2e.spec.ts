import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { balanceOf, expectBooksBalanced } from './support/ledger.js';
import { useSuite } from './support/suite.js';

const QUOTA = 'Your account balance is insufficient. Please recharge your account to continue using the API.';
/**
 * How soon a suspension, a revocation or a staff debit made through one edge
 * applies on every edge: one broadcast (the principal caches evict at once;
 * balances are read by billing on every request). The bound leaves room for
 * a loaded machine.
 */
const PROPAGATION = { timeoutMs: 1000 };

interface ErrorBody {
  error: { message: string; code: string | null; tid: string };
}

/**
 * Two edge replicas behind one balance and one key, as a load balancer would
 * spread a customer's requests: what the money tests prove for one edge must
 * hold across both.
 */
describe('two edges sharing one balance and one key', () => {
  const suite = useSuite({ replicas: { billing: 2 } });
  let edges: string[];

  beforeAll(async () => {
    // Output-only pricing, 1 micro-unit per token, and an upstream that always reports exactly
    // max_tokens: every request costs exactly what it holds (10 micro-units).
    await createChannel(suite, { models: ['shared'] });
    suite.fake.setDefaults({ completionTokens: 10 });
    await setPrice(suite, 'shared', '0', '1');
    edges = [suite.edgeUrl, (await suite.startEdge()).url];
  });

  const chat = async (edgeUrl: string, key: string) => {
    const response = await fetch(`${edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'shared', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 }),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  };

  /** `count` requests at once, alternating between the two edges. */
  const burst = (key: string, count: number) =>
    Promise.all(Array.from({ length: count }, (_, i) => chat(edges[i % 2] ?? suite.edgeUrl, key)));

  it('serves exactly K of 200 concurrent requests on a balance for K, across both edges', async () => {
    const K = 37;
    const customer = await createCustomer(suite, {
      balance: ((K * 10) / 1_000_000).toFixed(6),
      key: { rpm_limit: 10_000 },
    });
    const results = await burst(customer.key, 200);
    expect(results.filter((r) => r.status === 200)).toHaveLength(K);
    const refused = results.filter((r) => r.status === 403 && r.body.error.message === QUOTA);
    expect(refused).toHaveLength(200 - K);
    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(ledger.filter((entry) => entry.type === 'charge')).toHaveLength(K);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(0n);
  });

  it('holds one key to its rate limit exactly across both edges', async () => {
    const customer = await createCustomer(suite, { balance: '10', key: { rpm_limit: 10 } });
    const results = await burst(customer.key, 30);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(20);
  });

  it('applies a suspension made through one edge on both edges within the bound', async () => {
    const customer = await createCustomer(suite, { balance: '10', key: { rpm_limit: 10_000 } });
    for (const edge of edges) expect((await chat(edge, customer.key)).status).toBe(200);
    const suspended = await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { status: 'suspended' });
    expect(suspended.status).toBe(200);
    for (const edge of edges) {
      await eventually(async () => {
        const result = await chat(edge, customer.key);
        expect([result.status, result.body.error?.message]).toEqual([403, 'Account suspended.']);
      }, PROPAGATION);
    }
  });

  it('applies a revocation made through one edge on both edges within the bound', async () => {
    const customer = await createCustomer(suite, { balance: '10', key: { rpm_limit: 10_000 } });
    for (const edge of edges) expect((await chat(edge, customer.key)).status).toBe(200);
    expect((await suite.admin('POST', `/admin/v1/keys/${customer.keyId}/revoke`)).status).toBe(200);
    for (const edge of edges) {
      await eventually(async () => expect((await chat(edge, customer.key)).status).toBe(401), PROPAGATION);
    }
  });

  it('applies a staff debit made through one edge to the next request on either edge', async () => {
    // Room for exactly 3 requests; staff then take away all but one request's worth.
    const customer = await createCustomer(suite, { balance: '0.000030', key: { rpm_limit: 10_000 } });
    const debit = await suite.admin('POST', `/admin/v1/users/${customer.userId}/adjustments`, {
      amount: '-0.000020',
      reason: 'correction',
      idempotency_key: `debit-${customer.userId}`,
    });
    expect(debit.status).toBe(201);
    const results = [];
    for (const edge of [...edges, ...edges]) results.push(await chat(edge, customer.key));
    expect(results.map((r) => r.status)).toEqual([200, 403, 403, 403]);
    await expectBooksBalanced(suite, customer.userId);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(0n);
  });
});
