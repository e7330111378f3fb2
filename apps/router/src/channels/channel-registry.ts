import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { RouterSubjects, type ChannelTimeouts, type RoutingTable } from '@tollgate/contracts';
import type { Logger } from '@tollgate/observability';
import type { BroadcastBus } from '../broadcast-bus.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { ROUTER_CONFIG, type RouterConfig } from '../router.config.js';
import { CHANNEL_TIMEOUT_DEFAULTS, HEALTH_TRACKER, LOGGER, NATS_BUS, SECRET_BOX } from '../tokens.js';
import { ChannelEntity } from './channel.entity.js';
import { effectiveTimeouts } from './channel-timeouts.js';
import { ChannelTable, routingTableOf, type HealthTracker, type RoutableChannel } from '@tollgate/routing';

/**
 * The router's in-memory channel table. Picks read it and never the
 * database. It is loaded at start, reloaded whenever any replica broadcasts
 * `channelsChanged` (so all replicas agree within a round trip), and every
 * CHANNEL_RELOAD_INTERVAL_MS as a safety net should a broadcast be missed.
 */
@Injectable()
export class ChannelRegistry implements OnModuleInit, OnModuleDestroy {
  private current: ChannelTable = ChannelTable.empty;
  /** The database clock (epoch µs) read just before `current` was loaded; 0 before the first load. */
  private revision = 0;
  private readonly channels: Repository<ChannelEntity>;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CHANNEL_TIMEOUT_DEFAULTS) private readonly defaults: ChannelTimeouts,
    @Inject(HEALTH_TRACKER) private readonly health: HealthTracker,
    @Inject(NATS_BUS) private readonly bus: BroadcastBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ROUTER_CONFIG) private readonly config: Pick<RouterConfig, 'CHANNEL_RELOAD_INTERVAL_MS'>,
  ) {
    this.channels = db.getRepository(ChannelEntity);
  }

  get table(): ChannelTable {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    // Outside the queue group: every replica reloads on every change.
    this.bus.onBroadcast(RouterSubjects.channelsChanged, () => {
      this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'channel table reload failed'));
    });
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'channel table reload failed'));
    }, this.config.CHANNEL_RELOAD_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([this.running, this.queued]);
  }

  /**
   * Reloads the table. Calls during a load share one follow-up load, so a
   * burst of changes costs two queries, and the last change is always seen.
   */
  reload(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.loadOnce().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.reload();
      });
    return this.queued;
  }

  /** The table, its revision and this replica's health records, as edges pick from them. */
  routingTable(): RoutingTable {
    return routingTableOf(this.current, this.revision, this.health);
  }

  private async loadOnce(): Promise<void> {
    // Read before the rows: every change committed before this instant is in them, so the table
    // with the highest revision is the newest whichever replica loaded it (see RoutingTable).
    const [{ revision }] = await this.db.query<Array<{ revision: number }>>(
      'SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::float8 AS revision',
    );
    const rows = await this.channels
      .createQueryBuilder('channel')
      .addSelect('channel.apiKeyCiphertext')
      .orderBy('channel.id', 'ASC')
      .getMany();
    const table = new ChannelTable(rows.map((row) => this.toRoutable(row)));
    this.current = table;
    this.revision = revision;
    this.health.retainOnly(new Set(table.channels.map((channel) => channel.id)));
    // Every edge keeps the newest table it has seen: sent after each load, changed or not, so that
    // an edge that missed one broadcast catches up with the next (and with its own refresh).
    this.bus.broadcast(RouterSubjects.routingTableChanged, this.routingTable());
  }

  private toRoutable(row: ChannelEntity): RoutableChannel {
    let apiKey: string | null = null;
    try {
      apiKey = this.box.open(row.apiKeyCiphertext);
    } catch {
      // Never routed, rather than sent upstream with a wrong key. Loud, because it means
      // CHANNEL_SECRET_KEY is not the key these channels were stored with.
      this.logger.error(
        { channelId: row.id, event: 'channel.key_undecryptable' },
        'the upstream key of this channel does not decrypt with CHANNEL_SECRET_KEY; the channel is not routed',
      );
    }
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      baseUrl: row.baseUrl,
      apiVersion: row.apiVersion,
      apiKey,
      models: new Set(row.models),
      modelMapping: row.modelMapping,
      groups: new Set(row.groups),
      priority: row.priority,
      weight: row.weight,
      status: row.status,
      statusReason: row.statusReason,
      timeouts: effectiveTimeouts(row, this.defaults),
    };
  }
}
