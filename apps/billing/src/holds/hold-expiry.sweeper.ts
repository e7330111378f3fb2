import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { PeriodicTask } from '@tollgate/service';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER } from '../tokens.js';

const BATCH = 500;
export const EXPIRY_ACTOR = 'hold-expiry';

/**
 * Holds whose settlement never came (the edge crashed mid-request, say) are
 * charged at the held amount once HOLD_TTL_MS has passed. The money already
 * left the balance when the hold was made, so expiry moves no money: it
 * closes the hold, lowers `held_micros`, and writes an `expiry` ledger row of
 * 0 that records the hold became final. The key's spend already counts the
 * held amount, which is now what it cost.
 *
 * A settlement arriving after its hold expired finds the hold closed and
 * changes nothing. One replica sweeps at a time; the SQL, with its locks, is
 * billing.expire_holds (sql/expire-holds.sql).
 */
@Injectable()
export class HoldExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private task?: PeriodicTask;

  constructor(
    private readonly db: DataSource,
    @Inject(BILLING_CONFIG) private readonly config: Pick<BillingConfig, 'MAINTENANCE_INTERVAL_MS'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.task = new PeriodicTask(
      async () => {
        const expired = await this.sweep();
        if (expired > 0) this.logger.info({ expired }, 'overdue holds charged at the held amount');
      },
      this.config.MAINTENANCE_INTERVAL_MS,
      (error) => this.logger.error({ err: error }, 'hold expiry failed; will retry'),
    );
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  /** Expires every overdue hold, in batches; returns how many. 0 when another replica holds the sweeper lock. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.sweepBatch();
      total += expired;
      if (expired < BATCH) return total;
    }
  }

  /** One batch, in billing.expire_holds (sql/expire-holds.sql): its own transaction, its own locks. */
  private async sweepBatch(): Promise<number> {
    const [{ expired }] = await this.db.query<[{ expired: number }]>(`SELECT billing.expire_holds($1, $2) AS expired`, [
      BATCH,
      EXPIRY_ACTOR,
    ]);
    return expired;
  }
}
