import { Inject, Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  RouterSubjects,
  type PickedChannel,
  type PickRequest,
  type Reply,
  type RoutingTable,
  type UpstreamOutcome,
} from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { providerFor } from '@tollgate/providers';
import {
  channelTableOf,
  classifyOutcome,
  HealthTracker,
  mathRandom,
  pickedChannelOf,
  selectChannel,
  systemClock,
  type ChannelTable,
  type Clock,
  type RandomSource,
} from '@tollgate/routing';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';
import type { EdgeConfig } from '../edge.config.js';

export const ROUTING_CLOCK = Symbol('ROUTING_CLOCK');
export const ROUTING_RANDOM = Symbol('ROUTING_RANDOM');

/** A pick made here: what the relay calls, and whether it took the channel's half-open probe. */
export interface LocalPick {
  reply: Reply<PickedChannel>;
  probe: number | null;
}

/**
 * The router's routing table, held by this edge so that a request is routed
 * without a round trip. The router stays the one owner and writer of
 * channels and health: it broadcasts its table after every reload
 * (`routingTableChanged`, kept when its revision is the highest seen) and
 * every health change (`healthChanged`, replayed on this edge's copy as
 * every router replica replays it). Picks use the router's own selector
 * (libs/routing), so priorities, weights, pins, exclusions, cooldowns,
 * circuits and the documented refusals are the same.
 *
 * This edge's own outcomes are applied to its copy at once (and their echo
 * from the router skipped, see HealthTracker.recordOwn), so its next pick
 * knows of a 429 it just saw; other edges learn of it from the router's
 * broadcast. A half-open probe taken here is reported to the router at once,
 * which tells every replica and edge; two edges may take one in the same
 * few milliseconds (each then sends one probe).
 *
 * Until a table arrives (the router is not up yet) `pick` answers null and
 * the caller asks the router, as before.
 */
@Injectable()
export class EdgeRoutingTable implements OnModuleInit, OnModuleDestroy {
  private table: ChannelTable | null = null;
  private revision = -1;
  private health: HealthTracker | null = null;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | null = null;
  private outcomeSeq = 0;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EDGE_CONFIG) private readonly config: Pick<EdgeConfig, 'ROUTING_TABLE_REFRESH_MS'>,
    // Injected by tests only (moved time, a seeded choice); nothing provides these tokens in the service.
    @Optional() @Inject(ROUTING_CLOCK) private readonly clock: Clock = systemClock,
    @Optional() @Inject(ROUTING_RANDOM) private readonly random: RandomSource = mathRandom,
  ) {}

  onModuleInit(): void {
    this.bus.onBroadcast(RouterSubjects.routingTableChanged, (table) => this.adopt(table));
    this.bus.onBroadcast(RouterSubjects.healthChanged, (change) => this.health?.receive(change));
    // Broadcasts sent while the connection was down never arrive: catch up, health included.
    this.bus.onReconnect(() => void this.refresh({ afterGap: true }));
    void this.refresh();
    if (this.config.ROUTING_TABLE_REFRESH_MS > 0) {
      this.timer = setInterval(() => void this.refresh(), this.config.ROUTING_TABLE_REFRESH_MS);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Whether this edge has a table to pick from. */
  get ready(): boolean {
    return this.table !== null;
  }

  /** The revision of the table held (-1: none yet). */
  get heldRevision(): number {
    return this.revision;
  }

  /**
   * Asks the router for its table; a failure is only logged (the next
   * refresh or broadcast will do). `afterGap`: broadcasts may have been
   * missed, so the router's health records replace this edge's.
   */
  refresh({ afterGap = false } = {}): Promise<void> {
    // A catch-up must not be merged into a plain refresh already on its way.
    if (afterGap && this.refreshing) return this.refreshing.then(() => this.refresh({ afterGap }));
    this.refreshing ??= this.bus
      .request(RouterSubjects.routingTable, {})
      .then((table) => this.adopt(table, { afterGap }))
      .catch((error: unknown) => this.logger.debug({ err: error }, 'routing table refresh failed'))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * Keeps a table newer than the one held; an older one (a replica that
   * loaded earlier) is dropped, and so is revision 0: a replica that has not
   * loaded its channels yet, whose empty table would refuse every request.
   */
  adopt(routing: RoutingTable, { afterGap = false } = {}): void {
    if (routing.revision === 0) return;
    if (afterGap && this.health) this.health.replaceAll(routing.health);
    if (routing.revision <= this.revision) return;
    const table = channelTableOf(routing);
    this.health ??= new HealthTracker(routing.settings, this.clock);
    this.health.adopt(routing.health);
    this.health.retainOnly(new Set(table.channels.map((channel) => channel.id)));
    this.table = table;
    this.revision = routing.revision;
  }

  /** A pick from the table held, or null when there is none yet (ask the router). */
  pick(request: PickRequest): LocalPick | null {
    const { table, health } = this;
    if (!table || !health) return null;
    const selection = selectChannel(table, health, request, this.clock(), this.random);
    if (!selection.ok) return { reply: selection, probe: null };
    let probe: number | null = null;
    if (selection.value.probe) {
      health.notePicked(selection.value.channel.id);
      probe = selection.value.channel.id;
    }
    return { reply: { ok: true, value: pickedChannelOf(selection.value, request.model, health) }, probe };
  }

  /** Models some enabled channel serves to `group`, or null without a table (ask the router). */
  models(group: string): string[] | null {
    return this.table?.modelsFor(group) ?? null;
  }

  /**
   * This edge's outcome, applied to its copy of the channel's health now;
   * returns the outcome to report, with the id the router's broadcast of it
   * will carry (so it is not counted twice here).
   */
  applyOwn(outcome: UpstreamOutcome): UpstreamOutcome {
    const { table, health } = this;
    const channel = table?.get(outcome.channelId);
    if (!health || !channel) return outcome;
    const withId = { ...outcome, id: `${health.origin}:${++this.outcomeSeq}` };
    health.recordOwn(withId, classifyOutcome(withId, providerFor(channel.type).deadKeyErrorCodes));
    return withId;
  }
}
