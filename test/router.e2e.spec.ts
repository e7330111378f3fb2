import { beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  RouterSubjects,
  type ChannelHealthChange,
  type UpstreamOutcome,
  type UpstreamOutcomeBatch,
} from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { useSuite } from './support/suite.js';

interface ErrorBody {
  error: { message: string; code: string | null; tid: string };
}

const NO_CHANNEL =
  'Incorrect model ID. Please request to view the model page or you do not have permission to use this model';
const PROVIDER_LIMITED = 'Rate limited by provider – contact support to request higher concurrency or try again later.';

describe('router: channels, selection, pinning, health and the channel rows of the table', () => {
  const suite = useSuite({ replicas: { router: 2 } });
  let customer: Customer;
  let admin: Customer;

  beforeAll(async () => {
    for (const model of ['split', 'prio', 'limited', 'dead', 'pinned', 'replicas', 'reported'])
      await setPrice(suite, model, '0.01', '0.01');
    customer = await createCustomer(suite, { balance: '1000', key: { rpm_limit: 100000 } });
    admin = await createCustomer(suite, { balance: '1000', role: 'admin', key: { rpm_limit: 100000 } });
  });

  async function chat(model: string, key = customer.key) {
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 }),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as ErrorBody & { model?: string }, text };
  }

  /** Router replicas learn of a channel change by broadcast and agree within a second (the documented window). */
  const PROPAGATION = { timeoutMs: 1000 };

  /**
   * Waits until every router replica knows these channels: an admin's pin of
   * a channel a replica does not know is refused as an invalid channel id,
   * and 20 pins at once reach both replicas of the queue group.
   */
  async function knownToEveryReplica(model: string, ...channelIds: number[]): Promise<void> {
    await eventually(async () => {
      for (const channelId of channelIds) {
        const pins = await Promise.all(Array.from({ length: 20 }, () => chat(model, `${admin.key}-${channelId}`)));
        const refused = pins.find((pin) => pin.status !== 200);
        if (refused) throw new Error(`a pin of channel ${channelId} was refused: ${refused.status} ${refused.text}`);
      }
    }, PROPAGATION);
  }

  /**
   * Health changes as the router replicas broadcast them to each other. The
   * other replicas read a change before any request sent after it was seen
   * here, so a test that has seen one may count on every replica knowing it.
   */
  async function watchHealthChanges(nats: NatsConnection): Promise<ChannelHealthChange[]> {
    const changes: ChannelHealthChange[] = [];
    nats.subscribe(RouterSubjects.healthChanged.name, {
      callback: (_error, msg) => {
        changes.push(msg.json<ChannelHealthChange>());
      },
    });
    await nats.flush();
    return changes;
  }

  async function healthChangeOf(changes: ChannelHealthChange[], channelId: number): Promise<void> {
    await eventually(() => {
      if (!changes.some((change) => change.health.channelId === channelId)) {
        throw new Error(`no health change of channel ${channelId} broadcast yet`);
      }
    }, PROPAGATION);
  }

  /** Which upstream model names the fake provider was asked for since `from`. */
  const upstreamModels = (from: number) =>
    suite.fake.requests
      .filter((r) => r.path === '/v1/chat/completions' && r.receivedAt >= from)
      .map((r) => String((r.body as { model?: unknown }).model));

  it('503 "Incorrect model ID" when no channel serves the model', async () => {
    const result = await chat('nobody-serves-this');
    expect([result.status, result.body.error.message]).toEqual([503, NO_CHANNEL]);
    expect(result.body.error.tid).toMatch(/^[0-9a-f]{32}$/);
  });

  it('splits traffic by weight within a priority (3:1 within ±0.1 over 400 requests)', async () => {
    const a = await createChannel(suite, { models: ['split'], model_mapping: { split: 'split-a' }, weight: 3 });
    const b = await createChannel(suite, { models: ['split'], model_mapping: { split: 'split-b' }, weight: 1 });
    await knownToEveryReplica('split', a, b);
    const from = Date.now();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => chat('split')));
      expect(results.every((r) => r.status === 200)).toBe(true);
      // The client sees the model it asked for, not the upstream name.
      expect(results.every((r) => r.body.model === 'split')).toBe(true);
    }
    const models = upstreamModels(from);
    expect(models).toHaveLength(400);
    const shareA = models.filter((m) => m === 'split-a').length / models.length;
    // Binomial sd at p = 0.75, n = 400 is 0.022: ±0.1 is more than 4 sd.
    expect(Math.abs(shareA - 0.75)).toBeLessThan(0.1);
  });

  it('uses a lower priority only when the higher one fails or was tried', async () => {
    const high = await createChannel(suite, { models: ['prio'], model_mapping: { prio: 'prio-high' }, priority: 10 });
    const low = await createChannel(suite, { models: ['prio'], model_mapping: { prio: 'prio-low' }, priority: 0 });
    await knownToEveryReplica('prio', high, low);
    let from = Date.now();
    for (let i = 0; i < 20; i++) expect((await chat('prio')).status).toBe(200);
    expect(new Set(upstreamModels(from))).toEqual(new Set(['prio-high']));

    suite.fake.setDefaults({ byModel: { 'prio-high': { status: 500 } } });
    from = Date.now();
    const result = await chat('prio');
    expect(result.status).toBe(200);
    expect(upstreamModels(from)).toEqual(['prio-high', 'prio-low']);
    suite.fake.setDefaults({ byModel: { 'prio-high': null } });
  });

  it('cools a channel down after an upstream 429 and recovers after Retry-After', async () => {
    const id = await createChannel(suite, { models: ['limited'], model_mapping: { limited: 'limited-up' } });
    await knownToEveryReplica('limited', id);
    const nats = await connect({ servers: suite.natsUrl });
    try {
      const changes = await watchHealthChanges(nats);
      suite.fake.setDefaults({ byModel: { 'limited-up': { status: 429, retryAfter: 3 } } });
      const first = await chat('limited');
      expect([first.status, first.body.error.message]).toEqual([503, PROVIDER_LIMITED]);
      suite.fake.setDefaults({ byModel: { 'limited-up': null } });
      await healthChangeOf(changes, id);
    } finally {
      await nats.close();
    }

    // Still cooling down (Retry-After 2 s), on every replica: refused without calling the upstream.
    const from = Date.now();
    const second = await chat('limited');
    expect([second.status, second.body.error.message]).toEqual([503, PROVIDER_LIMITED]);
    expect(upstreamModels(from)).toEqual([]);

    await eventually(async () => expect((await chat('limited')).status).toBe(200), { timeoutMs: 6000 });
  });

  it('reports failures to the router, and successes only while the channel has a health record', async () => {
    const id = await createChannel(suite, { models: ['reported'], model_mapping: { reported: 'reported-up' } });
    await knownToEveryReplica('reported', id);
    const nats = await connect({ servers: suite.natsUrl });
    const outcomes: UpstreamOutcome[] = [];
    nats.subscribe(RouterSubjects.outcomes.name, {
      callback: (_error, msg) => {
        outcomes.push(...msg.json<{ data: UpstreamOutcomeBatch }>().data.outcomes);
      },
    });
    const changes = await watchHealthChanges(nats);
    const statuses = () => outcomes.map((outcome) => outcome.status);
    try {
      // A healthy channel: its successes change nothing and are not sent.
      for (let i = 0; i < 3; i++) expect((await chat('reported')).status).toBe(200);

      // A failure is reported; it gives the channel a record, so the next success is reported too (it clears it).
      suite.fake.setDefaults({ byModel: { 'reported-up': { status: 500 } } });
      await chat('reported');
      suite.fake.setDefaults({ byModel: { 'reported-up': null } });
      await eventually(() => expect(statuses()).toContain(500));
      // The edge reports in order: a success reported before the failure would have arrived before it.
      expect(new Set(statuses())).toEqual(new Set([500]));
      const failures = outcomes.length;
      await healthChangeOf(changes, id);
      expect((await chat('reported')).status).toBe(200);
      await eventually(() => expect(statuses().slice(failures)).toEqual([200]));
    } finally {
      await nats.close();
    }
  });

  it('auto-disables a channel after an upstream 401 and re-enables it after a passing test', async () => {
    const id = await createChannel(suite, { models: ['dead'], model_mapping: { dead: 'dead-up' } });
    await knownToEveryReplica('dead', id);
    suite.fake.setDefaults({ byModel: { 'dead-up': { status: 401, errorCode: 'invalid_api_key' } } });
    const result = await chat('dead');
    expect(result.status).toBe(503);
    type Channel = { status: string; status_reason: string | null };
    await eventually(
      async () =>
        expect((await suite.admin<Channel>('GET', `/admin/v1/channels/${id}`)).body.status).toBe('auto_disabled'),
      { timeoutMs: 5000 },
    );
    expect((await suite.admin<Channel>('GET', `/admin/v1/channels/${id}`)).body.status_reason).toBeTruthy();
    expect((await chat('dead')).body.error.message).toBe(NO_CHANNEL);

    suite.fake.setDefaults({ byModel: { 'dead-up': null } });
    const test = await suite.admin<{ ok: boolean; status: number; latency_ms: number }>(
      'POST',
      `/admin/v1/channels/${id}/test`,
      {},
    );
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true, status: 200 });
    expect((await suite.admin<Channel>('GET', `/admin/v1/channels/${id}`)).body.status).toBe('enabled');
    await eventually(async () => expect((await chat('dead')).status).toBe(200), { timeoutMs: 3000 });
  });

  describe('pinned channels', () => {
    let pinned: number;
    beforeAll(async () => {
      pinned = await createChannel(suite, { models: ['pinned'] });
      await knownToEveryReplica('pinned', pinned);
    });

    it.each(['abc', '0', '-1', '1.5', '999999'])('400 "invalid channel ID" for a pin of %p', async (pin) => {
      const result = await chat('pinned', `${admin.key}-${pin}`);
      expect([result.status, result.body.error.message]).toEqual([400, 'Bad Request – invalid channel ID.']);
    });

    it('serves an admin pin and refuses a disabled pinned channel with 403', async () => {
      expect((await chat('pinned', `${admin.key}-${pinned}`)).status).toBe(200);
      expect((await suite.admin('PATCH', `/admin/v1/channels/${pinned}`, { status: 'disabled' })).status).toBe(200);
      await eventually(async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => chat('pinned', `${admin.key}-${pinned}`)));
        expect(results.map((r) => [r.status, r.body.error?.message])).toEqual(
          Array(10).fill([403, 'Forbidden – channel has been disabled.']),
        );
      }, PROPAGATION);
    });
  });

  it('has both router replicas agree within a second after a channel is disabled', async () => {
    const id = await createChannel(suite, { models: ['replicas'] });
    await knownToEveryReplica('replicas', id);
    const before = await Promise.all(Array.from({ length: 20 }, () => chat('replicas')));
    expect(before.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await suite.admin('PATCH', `/admin/v1/channels/${id}`, { status: 'disabled' })).status).toBe(200);
    await eventually(async () => {
      const after = await Promise.all(Array.from({ length: 20 }, () => chat('replicas')));
      expect(after.map((r) => r.body.error?.message)).toEqual(Array(20).fill(NO_CHANNEL));
    }, PROPAGATION);
  });

  it('lists and retrieves only the models the key may use and its group is served', async () => {
    const limited = await createCustomer(suite, { key: { allowed_models: ['split', 'not-served-anywhere'] } });
    const get = async (path: string, key: string) => {
      const response = await fetch(`${suite.edgeUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const list = await get('/v1/models', limited.key);
    expect(list.body).toEqual({ object: 'list', data: [expect.objectContaining({ id: 'split', object: 'model' })] });
    expect((await get('/v1/models/split', limited.key)).body).toMatchObject({ id: 'split', object: 'model' });
    expect((await get('/v1/models/not-served-anywhere', limited.key)).status).toBe(404);
    expect((await get('/v1/models/prio', limited.key)).status).toBe(403);

    const all = await get('/v1/models', customer.key);
    const ids = (all.body.data as { id: string }[]).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['split', 'prio', 'limited']));
  });

  it('never shows the upstream key in a response, an error body or a log line', async () => {
    const listed = await suite.admin('GET', '/admin/v1/channels');
    expect(JSON.stringify(listed.body)).not.toContain('sk-upstream-secret-0000');
    expect(JSON.stringify(listed.body)).toContain('"api_key_last4":"0000"');
    for (const service of ['edge', 'auth', 'router', 'billing'] as const) {
      expect(suite.logs(service)).not.toContain('sk-upstream-secret');
    }
  });
});
