/**
 * Against real PostgreSQL: a fresh database per run, the real migration,
 * two router "replicas" sharing it and an in-memory broadcast bus.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  RouterSubjects,
  type ChannelInput,
  type ChannelView,
  type PickedChannel,
  type Reply,
} from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import type { Logger } from '@tollgate/observability';
import { UpstreamHttp } from '@tollgate/providers';
import { TestDatabase } from '@tollgate/testing';
import { SecretBox } from '../crypto/secret-box.js';
import { AutoEnableScheduler, AUTO_ENABLE_LOCK } from '../health/auto-enable.scheduler.js';
import { HealthService } from '../health/health.service.js';
import { CreateRouterSchema1764400000000 } from '../migrations/1764400000000-create-router-schema.js';
import { ChannelTypesAndApiVersion1764700000000 } from '../migrations/1764700000000-channel-types-and-api-version.js';
import { SelectionService } from '../selection/selection.service.js';
import { FakeBroadcastBus } from '../testing/fake-broadcast-bus.js';
import { FakeUpstream, json } from '../testing/fake-upstream.js';
import { ChannelTester } from '../upstream/channel-tester.js';
import { ChannelEntity } from './channel.entity.js';
import { ChannelRegistry } from './channel-registry.js';
import { ChannelsService } from './channels.service.js';
import { HealthTracker } from '@tollgate/routing';
import { ManualClock, seededRandom } from '@tollgate/routing/testing';

const DEFAULTS = { connectMs: 1000, firstByteMs: 2000, idleMs: 2000 };
const API_KEY = 'sk-proj-IntegrationUpstreamKey-0123456789-WXYZ';

interface Replica {
  registry: ChannelRegistry;
  tracker: HealthTracker;
  channels: ChannelsService;
  health: HealthService;
  selection: SelectionService;
  tester: ChannelTester;
  scheduler: AutoEnableScheduler;
  logger: ReturnType<typeof fakeLogger>;
}

function fakeLogger() {
  const calls = { warn: jest.fn(), info: jest.fn(), error: jest.fn(), debug: jest.fn() };
  return { ...calls, logger: calls as unknown as Logger };
}

function valueOf<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected a value, got ${reply.denial.reason}: ${reply.denial.params?.detail ?? ''}`);
  return reply.value;
}

describe(ChannelsService.name, () => {
  const box = new SecretBox(randomBytes(32));
  const http = new UpstreamHttp(4);
  const bus = new FakeBroadcastBus();
  const clock = new ManualClock(Date.now());
  let database: TestDatabase;
  let db: DataSource;
  let upstream: FakeUpstream;
  let a: Replica;
  let b: Replica;

  async function replica(): Promise<Replica> {
    const logger = fakeLogger();
    const tracker = new HealthTracker(
      {
        cooldownBaseMs: 1000,
        cooldownMaxMs: 60_000,
        breakerFailureThreshold: 5,
        breakerOpenMs: 30_000,
        recentErrorsKept: 10,
      },
      clock.read,
    );
    const config = {
      CHANNEL_RELOAD_INTERVAL_MS: 60_000,
      CHANNEL_TEST_TIMEOUT_MS: 5000,
      AUTO_ENABLE: false,
      AUTO_ENABLE_INTERVAL_MS: 60_000,
    };
    const registry = new ChannelRegistry(db, box, DEFAULTS, tracker, bus, logger.logger, config);
    const channels = new ChannelsService(db, registry, box, DEFAULTS, tracker, bus);
    const health = new HealthService(registry, channels, tracker, bus, logger.logger);
    const selection = new SelectionService(registry, health, tracker, clock.read, seededRandom(3));
    const tester = new ChannelTester(registry, health, config, http, logger.logger);
    const scheduler = new AutoEnableScheduler(db, channels, registry, tester, health, config, logger.logger);
    await registry.onModuleInit();
    health.onModuleInit();
    return { registry, tracker, channels, health, selection, tester, scheduler, logger };
  }

  const input = (overrides: Partial<ChannelInput> = {}): ChannelInput => ({
    name: 'primary',
    baseUrl: upstream.baseUrl,
    apiKey: API_KEY,
    models: ['gpt-4o', 'gpt-4o-mini'],
    modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
    ...overrides,
  });

  beforeAll(async () => {
    database = await TestDatabase.create('router_test');
    db = await database.open({
      schema: 'router',
      entities: [ChannelEntity],
      migrations: [CreateRouterSchema1764400000000, ChannelTypesAndApiVersion1764700000000],
      poolSize: 4,
    });
    upstream = await FakeUpstream.start();
    a = await replica();
    b = await replica();
  });

  afterAll(async () => {
    for (const r of [a, b]) await r?.registry.onModuleDestroy();
    await http.close();
    await upstream?.stop();
    await database?.drop();
  });

  async function settle(): Promise<void> {
    await Promise.all([a.registry.reload(), b.registry.reload()]);
  }

  it('ran the migration into its own schema', async () => {
    const rows = await db.query<Array<{ table_schema: string }>>(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'channels'`,
    );
    expect(rows.map((row) => row.table_schema)).toEqual(['router']);
  });

  describe('create', () => {
    let view: ChannelView;

    beforeAll(async () => {
      view = valueOf(await a.channels.create(input()));
    });

    it('stores the key encrypted: the ciphertext does not contain the plaintext and opens to it', async () => {
      const [row] = await db.query<Array<{ api_key_ciphertext: string; api_key_last4: string }>>(
        `SELECT api_key_ciphertext, api_key_last4 FROM channels WHERE id = $1`,
        [view.id],
      );
      expect(row?.api_key_ciphertext).not.toContain(API_KEY);
      expect(row?.api_key_ciphertext).not.toContain(API_KEY.slice(3, 20));
      expect(box.open(row?.api_key_ciphertext ?? '')).toBe(API_KEY);
      expect(row?.api_key_last4).toBe('WXYZ');
    });

    it('answers with a view that has defaults applied and no key', () => {
      expect(view).toMatchObject({
        name: 'primary',
        type: 'openai',
        apiKeyLast4: 'WXYZ',
        groups: ['default'],
        priority: 0,
        weight: 1,
        status: 'enabled',
        statusReason: null,
        timeouts: DEFAULTS,
      });
      expect(JSON.stringify(view)).not.toContain(API_KEY);
      expect(Number.isInteger(view.id) && view.id > 0).toBe(true);
    });

    it('is routable at once on this replica and, after the broadcast, on the other one', async () => {
      expect(bus.sentOn(RouterSubjects.channelsChanged)).toContainEqual({ channelIds: [view.id] });
      await settle();
      for (const r of [a, b]) {
        const picked: PickedChannel = valueOf(
          r.selection.pick({
            model: 'gpt-4o',
            group: 'default',
            endpoint: 'chat.completions',
            pinnedChannel: null,
            excludeChannelIds: [],
          }),
        );
        expect(picked).toMatchObject({
          channelId: view.id,
          apiKey: API_KEY,
          upstreamModel: 'gpt-4o-2024-08-06',
          pinned: false,
          // No health history yet: a success would change nothing, so the edge need not report it.
          reportSuccess: false,
        });
        expect(r.selection.models('default')).toEqual(['gpt-4o', 'gpt-4o-mini']);
      }
    });

    it('refuses invalid input with the parameter named', async () => {
      const create = checkedHandler(RouterSubjects.createChannel, (request) => a.channels.create(request));
      const reply = await create(input({ baseUrl: 'ftp://nope' }));
      expect(reply).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.InvalidRequest, params: { param: 'base_url' } },
      });
    });

    it('lists and gets channels without keys', async () => {
      const list = await a.channels.list();
      expect(list.map((channel) => channel.id)).toContain(view.id);
      expect(JSON.stringify(list)).not.toContain(API_KEY);
      expect(valueOf(await a.channels.get(view.id)).name).toBe('primary');
      expect(await a.channels.get(999_999)).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.ResourceNotFound },
      });
    });
  });

  describe('update', () => {
    it('changes the given fields, re-encrypts a new key and keeps the rest', async () => {
      const created = valueOf(await a.channels.create(input({ name: 'to-update' })));
      const [before] = await db.query<Array<{ api_key_ciphertext: string }>>(
        `SELECT api_key_ciphertext FROM channels WHERE id = $1`,
        [created.id],
      );

      const newKey = 'sk-replacement-key-5678';
      const updated = valueOf(
        await a.channels.update(created.id, { weight: 7, priority: 3, apiKey: newKey, timeouts: { connectMs: 1234 } }),
      );
      expect(updated).toMatchObject({
        weight: 7,
        priority: 3,
        apiKeyLast4: '5678',
        name: 'to-update',
        models: ['gpt-4o', 'gpt-4o-mini'],
        timeouts: { ...DEFAULTS, connectMs: 1234 },
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      const [after] = await db.query<Array<{ api_key_ciphertext: string }>>(
        `SELECT api_key_ciphertext FROM channels WHERE id = $1`,
        [created.id],
      );
      expect(after?.api_key_ciphertext).not.toBe(before?.api_key_ciphertext);
      expect(after?.api_key_ciphertext).not.toContain(newKey);
      await settle();
      expect(b.registry.table.get(created.id)?.apiKey).toBe(newKey);

      // null returns a timeout to the configured default.
      expect(valueOf(await a.channels.update(created.id, { timeouts: { connectMs: null } })).timeouts).toEqual(
        DEFAULTS,
      );
    });

    it('refuses invalid patches and unknown channels', async () => {
      const created = valueOf(await a.channels.create(input({ name: 'patch-target' })));
      const update = checkedHandler(RouterSubjects.updateChannel, (r) => a.channels.update(r.channelId, r.patch));
      expect(await update({ channelId: created.id, patch: { weight: 0 } })).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.InvalidRequest, params: { param: 'weight' } },
      });
      expect(await a.channels.update(987_654, { weight: 2 })).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.ResourceNotFound },
      });
    });
  });

  describe('delete', () => {
    it('removes the channel everywhere', async () => {
      const created = valueOf(await a.channels.create(input({ name: 'to-delete', models: ['only-here'] })));
      await settle();
      expect(b.registry.table.get(created.id)).toBeDefined();
      expect(await a.channels.delete(created.id)).toEqual({ ok: true, value: { deleted: true } });
      await settle();
      expect(b.registry.table.get(created.id)).toBeUndefined();
      expect(
        a.selection.pick({
          model: 'only-here',
          group: 'default',
          endpoint: 'chat.completions',
          pinnedChannel: null,
          excludeChannelIds: [],
        }),
      ).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.NoAvailableChannel },
      });
      expect(await a.channels.delete(created.id)).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.ResourceNotFound },
      });
    });
  });

  describe('health', () => {
    it('auto-disables on an upstream 401: persisted with a reason, logged once for ops, broadcast', async () => {
      const created = valueOf(await a.channels.create(input({ name: 'dead-key', models: ['dead-model'] })));
      const outcome = {
        channelId: created.id,
        model: 'dead-model',
        status: 401,
        latencyMs: 5,
        retryAfterSeconds: null,
        errorCode: 'invalid_api_key',
        timedOut: false,
      };
      await a.health.record(outcome);
      await b.health.record(outcome);

      const stored = valueOf(await a.channels.get(created.id));
      expect(stored).toMatchObject({
        status: 'auto_disabled',
        statusReason: 'upstream answered 401 (invalid_api_key)',
      });
      const warnings = [...a.logger.warn.mock.calls, ...b.logger.warn.mock.calls].filter(
        ([fields]) => (fields as { event?: string }).event === 'channel.auto_disabled',
      );
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).not.toContain(API_KEY);
      expect(bus.sentOn(RouterSubjects.healthChanged).some((c) => c.transition === 'auto_disabled')).toBe(true);

      await settle();
      expect(
        b.selection.pick({
          model: 'dead-model',
          group: 'default',
          endpoint: 'chat.completions',
          pinnedChannel: null,
          excludeChannelIds: [],
        }),
      ).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.NoAvailableChannel },
      });
      expect(
        b.selection.pick({
          model: 'dead-model',
          group: 'default',
          endpoint: 'chat.completions',
          pinnedChannel: String(created.id),
          excludeChannelIds: [],
        }),
      ).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.ChannelDisabled },
      });
      expect(valueOf(b.health.view(created.id)).state).toBe('auto_disabled');
    });

    it('shares cooldowns between replicas through the healthChanged broadcast', async () => {
      const created = valueOf(await a.channels.create(input({ name: 'throttled', models: ['throttled-model'] })));
      await settle();
      await a.health.record({
        channelId: created.id,
        model: 'throttled-model',
        status: 429,
        latencyMs: 5,
        retryAfterSeconds: 4,
        errorCode: null,
        timedOut: false,
      });
      const request = {
        model: 'throttled-model',
        group: 'default',
        endpoint: 'chat.completions' as const,
        pinnedChannel: null,
        excludeChannelIds: [],
      };
      for (const r of [a, b]) {
        expect(r.selection.pick(request)).toMatchObject({
          ok: false,
          denial: { reason: DenialReason.ProviderRateLimited, params: { retryAfterSeconds: 4 } },
        });
        expect(valueOf(r.health.view(created.id))).toMatchObject({
          state: 'cooling_down',
          recentErrors: [{ status: 429 }],
        });
      }
      clock.advance(4000);
      expect(b.selection.pick(request).ok).toBe(true);
    });
  });

  describe('re-enabling', () => {
    async function autoDisabledChannel(name: string): Promise<number> {
      const created = valueOf(await a.channels.create(input({ name, models: [`${name}-model`] })));
      expect(await a.channels.markAutoDisabled(created.id, 'upstream answered 401')).toBe(true);
      await settle();
      return created.id;
    }

    it('re-tests auto-disabled channels with GET /models and enables those that pass', async () => {
      const passing = await autoDisabledChannel('comes-back');
      upstream.handler = (req, res) =>
        req.url === '/v1/models' ? json(res, 200, { object: 'list', data: [] }) : json(res, 404, {});
      const enabled = await a.scheduler.runRound();
      expect(enabled).toContain(passing);
      expect(upstream.seen.some((req) => req.url === '/v1/models' && req.authorization === `Bearer ${API_KEY}`)).toBe(
        true,
      );
      expect(valueOf(await a.channels.get(passing))).toMatchObject({ status: 'enabled', statusReason: null });
      await settle();
      expect(b.registry.table.get(passing)?.status).toBe('enabled');
    });

    it('leaves a channel auto-disabled while the upstream still refuses the key', async () => {
      const failing = await autoDisabledChannel('stays-down');
      upstream.handler = (_req, res) => json(res, 401, { error: { message: 'bad key', code: 'invalid_api_key' } });
      expect(await a.scheduler.runRound()).not.toContain(failing);
      expect(valueOf(await a.channels.get(failing)).status).toBe('auto_disabled');
    });

    it('lets only the replica holding the advisory lock run a round', async () => {
      const holder = new pg.Client({ connectionString: database.url });
      await holder.connect();
      try {
        await holder.query(`SELECT pg_advisory_lock(hashtext($1))`, [AUTO_ENABLE_LOCK]);
        expect(await b.scheduler.runRound()).toBeNull();
        await holder.query(`SELECT pg_advisory_unlock(hashtext($1))`, [AUTO_ENABLE_LOCK]);
        expect(await b.scheduler.runRound()).not.toBeNull();
      } finally {
        await holder.end();
      }
    });

    it('testChannel sends a tiny completion, reports status and latency, and re-enables on a pass', async () => {
      const channelId = await autoDisabledChannel('tested');
      upstream.handler = (_req, res) =>
        json(res, 401, { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } });
      const failed = valueOf(await a.tester.test({ channelId }));
      expect(failed).toMatchObject({ ok: false, status: 401, error: 'Incorrect API key provided' });
      expect(valueOf(await a.channels.get(channelId)).status).toBe('auto_disabled');

      upstream.handler = (_req, res) => json(res, 200, { object: 'chat.completion', choices: [] });
      const passed = valueOf(await a.tester.test({ channelId, model: 'gpt-4o' }));
      expect(passed).toMatchObject({ ok: true, status: 200, error: null });
      expect(passed.latencyMs).toBeGreaterThanOrEqual(0);
      const sent = JSON.parse(upstream.seen.at(-1)?.body ?? '{}') as Record<string, unknown>;
      expect(sent).toMatchObject({ model: 'gpt-4o-2024-08-06', max_tokens: 1, stream: false });
      expect(valueOf(await a.channels.get(channelId))).toMatchObject({ status: 'enabled', statusReason: null });
      expect(await a.tester.test({ channelId: 424_242 })).toMatchObject({
        ok: false,
        denial: { reason: DenialReason.ResourceNotFound },
      });
    });

    it('never re-enables a channel an admin disabled', async () => {
      const created = valueOf(await a.channels.create(input({ name: 'admin-off', status: 'disabled' })));
      upstream.handler = (_req, res) => json(res, 200, { object: 'chat.completion', choices: [] });
      expect(valueOf(await a.tester.test({ channelId: created.id })).ok).toBe(true);
      expect(valueOf(await a.channels.get(created.id)).status).toBe('disabled');
    });
  });
});
