import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { PeriodicTask } from '@tollgate/service';
import { ChannelRegistry } from '../channels/channel-registry.js';
import { ChannelsService } from '../channels/channels.service.js';
import { ROUTER_CONFIG, type RouterConfig } from '../router.config.js';
import { LOGGER } from '../tokens.js';
import { ChannelTester } from '../upstream/channel-tester.js';
import { HealthService } from './health.service.js';

/** Key of the session advisory lock that elects the one replica doing a round. */
export const AUTO_ENABLE_LOCK = 'tollgate-router-auto-enable';

/**
 * Every AUTO_ENABLE_INTERVAL_MS, re-tests auto-disabled channels with a real
 * request (the provider's key check: GET {baseUrl}/models for OpenAI) and
 * enables those that answer 2xx — a topped-up account or a restored key comes
 * back by itself. Only one replica runs a round at a time: the one that gets
 * `pg_try_advisory_lock`; the others skip it rather than queue behind it.
 */
@Injectable()
export class AutoEnableScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private task?: PeriodicTask;

  constructor(
    private readonly db: DataSource,
    private readonly channels: ChannelsService,
    private readonly registry: ChannelRegistry,
    private readonly tester: ChannelTester,
    private readonly health: HealthService,
    @Inject(ROUTER_CONFIG) private readonly config: Pick<RouterConfig, 'AUTO_ENABLE' | 'AUTO_ENABLE_INTERVAL_MS'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.AUTO_ENABLE) return;
    // A slow round (many channels, slow upstreams) is not overlapped by the next tick.
    this.task = new PeriodicTask(
      () => this.runRound(),
      this.config.AUTO_ENABLE_INTERVAL_MS,
      (error) => this.logger.error({ err: error }, 'auto-enable round failed'),
    );
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  /**
   * One round. Returns the ids enabled, or null when another replica holds
   * the lock. The lock is session-level, so it is taken and released on one
   * dedicated connection, and no transaction stays open across HTTP calls.
   */
  async runRound(): Promise<number[] | null> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
        AUTO_ENABLE_LOCK,
      ])) as [{ locked: boolean }];
      if (!locked) return null;
      try {
        return await this.retestAll();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [AUTO_ENABLE_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async retestAll(): Promise<number[]> {
    const enabled: number[] = [];
    // The database, not the table, says which ones: another replica may have just changed them.
    for (const channelId of await this.channels.autoDisabledIds()) {
      let channel = this.registry.table.get(channelId);
      if (channel?.status !== 'auto_disabled') {
        await this.registry.reload();
        channel = this.registry.table.get(channelId);
      }
      if (!channel) continue;
      const result = await this.tester.checkKey(channel);
      if (result.status >= 200 && result.status < 300) {
        if (await this.health.reEnable(channelId, 'auto_enable')) enabled.push(channelId);
      } else {
        this.logger.debug(
          { channelId, status: result.status, errorCode: result.errorCode },
          'auto-enable check failed',
        );
      }
    }
    return enabled;
  }
}
