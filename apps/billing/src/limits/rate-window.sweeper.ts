import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { PeriodicTask } from '@tollgate/service';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER } from '../tokens.js';
import { RATE_WINDOW_SECONDS } from './rate-limit.js';

/**
 * Deletes rate-limit windows that have ended. Any replica may do it at any
 * time: the DELETE only touches windows no request counts in any more.
 */
@Injectable()
export class RateWindowSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private task?: PeriodicTask;

  constructor(
    private readonly db: DataSource,
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.task = new PeriodicTask(
      () => this.sweep(),
      this.config.MAINTENANCE_INTERVAL_MS,
      (error) => this.logger.warn({ err: error }, 'old rate-limit windows not deleted'),
    );
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  /** Returns how many windows were deleted. */
  async sweep(): Promise<number> {
    const [, deleted] = await this.db.query<[unknown, number]>(
      `DELETE FROM billing.rate_windows WHERE window_start < now() - make_interval(secs => $1)`,
      [RATE_WINDOW_SECONDS],
    );
    return deleted;
  }
}
