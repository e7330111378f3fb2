import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RouterSubjects, type ChannelHealthChange, type RoutingTable, type UpstreamOutcome } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { providerFor } from '@tollgate/providers';
import {
  ChannelTable,
  classifyOutcome,
  HealthTracker,
  pickedChannelOf,
  routingTableOf,
  selectChannel,
  type HealthSettings,
  type RoutableChannel,
} from '@tollgate/routing';
import { ManualClock, pickRequest as request, routableChannel, seededRandom } from '@tollgate/routing/testing';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { SILENT_LOGGER } from '../testing/relay-fixtures.js';
import { EdgeRoutingTable } from './edge-routing-table.js';

const SETTINGS: HealthSettings = {
  cooldownBaseMs: 1000,
  cooldownMaxMs: 60_000,
  breakerFailureThreshold: 3,
  breakerOpenMs: 30_000,
  recentErrorsKept: 10,
};

const outcome = (channelId: number, status: number, fields: Partial<UpstreamOutcome> = {}): UpstreamOutcome => ({
  channelId,
  model: 'gpt-4o',
  status,
  latencyMs: 1,
  retryAfterSeconds: null,
  errorCode: null,
  timedOut: false,
  ...fields,
});

/** The router's side: its table, its health, and what it would publish — as JSON, as NATS carries it. */
class RouterSide {
  readonly health: HealthTracker;
  readonly changes: ChannelHealthChange[] = [];
  constructor(
    readonly table: ChannelTable,
    readonly clock: ManualClock,
  ) {
    this.health = new HealthTracker(SETTINGS, clock.read, 'router-1');
  }
  published(revision = 1): RoutingTable {
    return JSON.parse(JSON.stringify(routingTableOf(this.table, revision, this.health))) as RoutingTable;
  }
  record(reported: UpstreamOutcome): void {
    const channel = this.table.get(reported.channelId);
    if (!channel) return;
    const { change } = this.health.record(
      reported,
      classifyOutcome(reported, providerFor(channel.type).deadKeyErrorCodes),
    );
    if (change) this.changes.push(JSON.parse(JSON.stringify(change)) as ChannelHealthChange);
  }
}

/** An edge whose random draws come from `seed(n)` (reseeded per pick in the property test). */
function edge(clock: ManualClock, seed = 7) {
  const nats = new FakeNatsBus();
  let draws = seededRandom(seed);
  const sut = new EdgeRoutingTable(nats.bus, SILENT_LOGGER, { ROUTING_TABLE_REFRESH_MS: 0 }, clock.read, () => draws());
  const reseed = (next: number) => {
    draws = seededRandom(next);
  };
  return { nats, sut, reseed };
}

/** Starts the edge's listeners against a router that answers the table request. */
function started(clock: ManualClock, router: RouterSide, seed?: number) {
  const parts = edge(clock, seed);
  parts.nats.answer(RouterSubjects.routingTable, () => router.published());
  parts.sut.onModuleInit();
  const broadcastChanges = () => {
    for (const change of router.changes.splice(0)) parts.nats.deliver(RouterSubjects.healthChanged, change);
  };
  return { ...parts, broadcastChanges };
}

const chosen = (local: ReturnType<EdgeRoutingTable['pick']>): number | string => {
  if (!local) throw new Error('the edge held no table');
  return local.reply.ok ? local.reply.value.channelId : local.reply.denial.reason;
};

describe(EdgeRoutingTable.name, () => {
  it('answers null until a table arrives, so the caller asks the router', () => {
    const { sut } = edge(new ManualClock());
    expect(sut.ready).toBe(false);
    expect(sut.pick(request())).toBeNull();
    expect(sut.models('default')).toBeNull();
  });

  it('stays without a table, and asks again later, when the router does not answer', async () => {
    const clock = new ManualClock();
    const { nats, sut } = edge(clock);
    nats.answer(RouterSubjects.routingTable, () => Promise.reject(new Error('no router answered')));

    await expect(sut.refresh()).resolves.toBeUndefined();
    expect(sut.ready).toBe(false);

    const router = new RouterSide(new ChannelTable([routableChannel(1)]), clock);
    nats.answer(RouterSubjects.routingTable, () => router.published());
    await sut.refresh();
    expect(chosen(sut.pick(request()))).toBe(1);
  });

  it('picks from the table it was sent, as the router would answer the pick', () => {
    const clock = new ManualClock();
    const channels = [routableChannel(1, { modelMapping: { 'gpt-4o': 'gpt-4o-2024' } }), routableChannel(2)];
    const router = new RouterSide(new ChannelTable(channels), clock);
    const { sut } = edge(clock, 3);
    sut.adopt(router.published());

    const local = sut.pick(request());
    const theirs = selectChannel(router.table, router.health, request(), clock.now, seededRandom(3));
    if (!theirs.ok || !local?.reply.ok) throw new Error('expected a channel on both sides');
    expect(local.reply.value).toEqual(pickedChannelOf(theirs.value, 'gpt-4o', router.health));
    expect(sut.models('default')).toEqual(['gpt-4o']);
  });

  it('keeps the table with the highest revision, whichever arrives last', () => {
    const clock = new ManualClock();
    const { sut } = edge(clock);
    const newer = new RouterSide(new ChannelTable([routableChannel(2)]), clock).published(20);
    const older = new RouterSide(new ChannelTable([routableChannel(1)]), clock).published(10);

    sut.adopt(newer);
    sut.adopt(older);

    expect(sut.heldRevision).toBe(20);
    expect(chosen(sut.pick(request()))).toBe(2);
  });

  it('ignores the empty table of a router replica that has not loaded its channels yet (revision 0)', () => {
    const clock = new ManualClock();
    const { sut } = edge(clock);
    sut.adopt(new RouterSide(ChannelTable.empty, clock).published(0));
    expect(sut.ready).toBe(false);
  });

  it('takes a disabled channel out at once when the new table comes', () => {
    const clock = new ManualClock();
    const { sut } = edge(clock);
    sut.adopt(new RouterSide(new ChannelTable([routableChannel(1)]), clock).published(1));
    sut.adopt(new RouterSide(new ChannelTable([routableChannel(1, { status: 'disabled' })]), clock).published(2));

    expect(chosen(sut.pick(request()))).toBe(DenialReason.NoAvailableChannel);
  });

  it("applies another edge's cooldown when the router broadcasts it, and its own failure at once, counted once", async () => {
    const clock = new ManualClock();
    const router = new RouterSide(new ChannelTable([routableChannel(1), routableChannel(2)]), clock);
    const { sut, broadcastChanges } = started(clock, router);
    await sut.refresh();
    expect(sut.ready).toBe(true);

    // Another edge saw a 429 on channel 1: the router records it and broadcasts the change.
    router.record(outcome(1, 429, { retryAfterSeconds: 30 }));
    broadcastChanges();
    for (let i = 0; i < 20; i++) expect(chosen(sut.pick(request()))).toBe(2);

    // This edge's own 500 on channel 2 applies here before the router hears of it …
    const own = sut.applyOwn(outcome(2, 500));
    expect(own.id).toEqual(expect.any(String));
    // … and the router's broadcast of the same outcome is not counted a second time.
    router.record(own);
    broadcastChanges();
    sut.applyOwn(outcome(2, 500));
    // Two failures, not three: the breaker (threshold 3) stays closed and channel 2 still serves.
    expect(chosen(sut.pick(request()))).toBe(2);
    sut.onModuleDestroy();
  });

  it('takes the health it missed while its NATS connection was down from the table, on reconnect', async () => {
    const clock = new ManualClock();
    const router = new RouterSide(new ChannelTable([routableChannel(1), routableChannel(2, { priority: -1 })]), clock);
    const { nats, sut } = started(clock, router);
    await sut.refresh();
    expect(chosen(sut.pick(request()))).toBe(1);

    // A cooldown starts while this edge is away: its broadcast never arrives. The table is unchanged.
    router.record(outcome(1, 429, { retryAfterSeconds: 30 }));
    router.changes.length = 0;
    await sut.refresh();
    expect(chosen(sut.pick(request()))).toBe(1);

    nats.reconnected();
    await sut.refresh();
    expect(chosen(sut.pick(request()))).toBe(2);
    sut.onModuleDestroy();
  });

  it('hands out a half-open probe once and says so', () => {
    const clock = new ManualClock();
    const router = new RouterSide(new ChannelTable([routableChannel(1)]), clock);
    for (let i = 0; i < SETTINGS.breakerFailureThreshold; i++) router.record(outcome(1, 502));
    const { sut } = edge(clock);
    sut.adopt(router.published());
    expect(chosen(sut.pick(request()))).toBe(DenialReason.NoAvailableChannel);

    clock.advance(SETTINGS.breakerOpenMs);
    expect(sut.pick(request())).toMatchObject({ probe: 1, reply: { ok: true } });
    expect(sut.pick(request())).toMatchObject({ probe: null, reply: { ok: false } });
  });

  /**
   * The property the edge's routing rests on: for any table and any health
   * history the router holds, an edge that got the router's table and its
   * health broadcasts picks exactly as the router's own selection would with
   * the same random draws — so their choices agree in distribution too.
   */
  it("picks as the router's own selection does, for any table, health history and request", () => {
    const channel = fc.record({
      type: fc.constantFrom('openai', 'azure', 'anthropic', 'gemini'),
      models: fc.subarray(['gpt-4o', 'gpt-4o-mini', 'claude'], { minLength: 1 }),
      groups: fc.subarray(['default', 'vip'], { minLength: 1 }),
      priority: fc.integer({ min: 0, max: 2 }),
      weight: fc.integer({ min: 0, max: 5 }),
      status: fc.constantFrom('enabled', 'enabled', 'enabled', 'disabled', 'auto_disabled'),
      apiKey: fc.option(fc.constant('sk-up'), { freq: 8 }),
    });
    const event = fc.record({
      channel: fc.integer({ min: 1, max: 6 }),
      status: fc.constantFrom(200, 400, 429, 500, 502, 0, 401),
      retryAfterSeconds: fc.option(fc.integer({ min: 1, max: 60 })),
      advanceMs: fc.integer({ min: 0, max: 40_000 }),
    });
    const pick = fc.record({
      model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude', 'unknown'),
      group: fc.constantFrom('default', 'vip'),
      endpoint: fc.constantFrom('chat.completions', 'embeddings', 'messages', 'responses'),
      exclude: fc.subarray([1, 2, 3, 4, 5, 6]),
      pinned: fc.option(fc.constantFrom('1', '3', '6', '99', 'x'), { freq: 5 }),
      seed: fc.integer(),
    });

    fc.assert(
      fc.property(
        fc.array(channel, { minLength: 1, maxLength: 6 }),
        fc.array(event, { maxLength: 30 }),
        fc.array(pick, { minLength: 1, maxLength: 20 }),
        (channels, events, picks) => {
          const clock = new ManualClock();
          const routable: RoutableChannel[] = channels.map((fields, i) =>
            routableChannel(i + 1, {
              ...fields,
              models: new Set(fields.models),
              groups: new Set(fields.groups),
              apiKey: fields.apiKey,
            }),
          );
          const router = new RouterSide(new ChannelTable(routable), clock);
          // Half the history before the edge starts (it arrives in the table), half after (as broadcasts).
          const half = Math.floor(events.length / 2);
          const replay = (list: typeof events) => {
            for (const e of list) {
              clock.advance(e.advanceMs);
              router.record(outcome(e.channel, e.status, { retryAfterSeconds: e.retryAfterSeconds }));
            }
          };
          replay(events.slice(0, half));
          router.changes.length = 0;
          const { sut, reseed, broadcastChanges } = started(clock, router);
          sut.adopt(router.published());
          replay(events.slice(half));
          broadcastChanges();

          for (const p of picks) {
            const req = request({
              model: p.model,
              group: p.group,
              endpoint: p.endpoint,
              excludeChannelIds: p.exclude,
              pinnedChannel: p.pinned,
            });
            // Probes change health: each side hands out its own, as the router and edge each would.
            const theirs = selectChannel(router.table, router.health, req, clock.now, seededRandom(p.seed));
            if (theirs.ok && theirs.value.probe) router.health.notePicked(theirs.value.channel.id);
            reseed(p.seed);
            const local = sut.pick(req);
            expect(local?.reply).toEqual(
              theirs.ok ? { ok: true, value: pickedChannelOf(theirs.value, req.model, router.health) } : theirs,
            );
          }
          sut.onModuleDestroy();
        },
      ),
      { numRuns: 300 },
    );
  });
});
