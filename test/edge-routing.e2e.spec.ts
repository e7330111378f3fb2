import { beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { RouterSubjects } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { useSuite } from './support/suite.js';

/**
 * The routing table at the edge (docs/architecture.md, "Routing at the
 * edge"): two edges and two router replicas, every process real. Each edge
 * picks from the table the router broadcasts, and a change made through one
 * edge applies on every edge within PROPAGATION_MS — in practice one
 * broadcast, a few milliseconds; the stated bound leaves room for a loaded
 * machine.
 */
const PROPAGATION_MS = 1000;

describe('routing at the edge: the router publishes, every edge picks locally', () => {
  const suite = useSuite({ replicas: { router: 2 } });
  let customer: Customer;
  let secondEdge: string;

  beforeAll(async () => {
    for (const model of ['local', 'disable', 'cool', 'down']) await setPrice(suite, model, '0.01', '0.01');
    customer = await createCustomer(suite, { balance: '1000', key: { rpm_limit: 100000 } });
    secondEdge = (await suite.startEdge()).url;
  });

  const edges = () => [suite.edgeUrl, secondEdge];

  /** The upstream model a chat reached: each channel maps the model to its own name, so it names the channel. */
  async function servedBy(edgeUrl: string, model: string): Promise<string> {
    const from = Date.now();
    const response = await fetch(`${edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${edgeUrl}: ${response.status} ${text}`);
    const reached = suite.fake.requests.filter(
      (request) => request.path === '/v1/chat/completions' && request.receivedAt >= from,
    );
    return reached.map((request) => String((request.body as { model?: unknown }).model)).join(',');
  }

  /** A high-priority channel `<model>-hi` and a fallback `<model>-lo`, known to both edges. */
  async function twoChannels(model: string): Promise<{ hi: number; lo: number }> {
    const hi = await createChannel(suite, { models: [model], model_mapping: { [model]: `${model}-hi` }, priority: 10 });
    const lo = await createChannel(suite, { models: [model], model_mapping: { [model]: `${model}-lo` }, priority: 0 });
    for (const edge of edges()) {
      await eventually(async () => expect(await servedBy(edge, model)).toBe(`${model}-hi`), { timeoutMs: 3000 });
    }
    return { hi, lo };
  }

  it('routes without asking the router: no pick request crosses NATS', async () => {
    await twoChannels('local');
    const nats = await connect({ servers: suite.natsUrl });
    let picks = 0;
    // A plain subscription sees every message of the queue group's subject too.
    nats.subscribe(RouterSubjects.pick.name, {
      callback: () => {
        picks += 1;
      },
    });
    await nats.flush();
    try {
      for (let i = 0; i < 10; i++) for (const edge of edges()) expect(await servedBy(edge, 'local')).toBe('local-hi');
      await nats.flush();
      expect(picks).toBe(0);
    } finally {
      await nats.close();
    }
  });

  it(`applies a channel disabled through one edge on every edge within ${PROPAGATION_MS} ms`, async () => {
    const { hi } = await twoChannels('disable');
    expect((await suite.admin('PATCH', `/admin/v1/channels/${hi}`, { status: 'disabled' })).status).toBe(200);
    const changedAt = Date.now();
    for (const edge of edges()) {
      await eventually(async () => expect(await servedBy(edge, 'disable')).toBe('disable-lo'), {
        timeoutMs: PROPAGATION_MS,
      });
    }
    const tookMs = Date.now() - changedAt;
    expect(tookMs).toBeLessThanOrEqual(PROPAGATION_MS);
    // And it stays so: no edge goes back to an older table.
    for (let i = 0; i < 5; i++) for (const edge of edges()) expect(await servedBy(edge, 'disable')).toBe('disable-lo');
  });

  it(`applies a provider cooldown seen by one edge on every edge within ${PROPAGATION_MS} ms`, async () => {
    await twoChannels('cool');
    // The high-priority channel's upstream throttles with Retry-After 30 s: the first edge retries on the other.
    suite.fake.setDefaults({ byModel: { 'cool-hi': { status: 429, retryAfter: 30 } } });
    expect(await servedBy(suite.edgeUrl, 'cool')).toBe('cool-hi,cool-lo');
    // The upstream is fine again, but the channel cools down for 30 s: an edge that did not know would use it.
    suite.fake.setDefaults({ byModel: { 'cool-hi': null } });
    expect(await servedBy(suite.edgeUrl, 'cool')).toBe('cool-lo');
    await eventually(async () => expect(await servedBy(secondEdge, 'cool')).toBe('cool-lo'), {
      timeoutMs: PROPAGATION_MS,
    });

    // An edge that starts now learns of the cooldown from the table it is sent: its first pick avoids it.
    const third = (await suite.startEdge()).url;
    await eventually(async () => expect(await servedBy(third, 'cool')).toBe('cool-lo'), { timeoutMs: 3000 });
    for (let i = 0; i < 5; i++) expect(await servedBy(third, 'cool')).toBe('cool-lo');
  });

  it('keeps routing from its table while every router replica is down', async () => {
    await twoChannels('down');
    await suite.stopService('router');
    try {
      for (let i = 0; i < 5; i++) for (const edge of edges()) expect(await servedBy(edge, 'down')).toBe('down-hi');
    } finally {
      await suite.startService('router');
    }
  });
});
