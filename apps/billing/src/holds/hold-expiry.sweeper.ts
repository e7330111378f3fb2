import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { PeriodicTask } from '@tollgate/service';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER } from '../tokens.js';

const BATCH = 500;
const SWEEPER_LOCK = 'tollgate-billing-hold-expiry';
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
 * changes nothing.
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

  private sweepBatch(): Promise<number> {
    return this.db.transaction(async (tx) => {
      // One replica sweeps at a time; the others skip this round instead of queueing.
      const [{ locked }] = await tx.query<[{ locked: boolean }]>(
        `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
        [SWEEPER_LOCK],
      );
      if (!locked) return 0;
      // SKIP LOCKED: a hold being settled right now is left to its settlement.
      const holds = await tx.query<Array<{ id: string; user_id: string }>>(
        `SELECT id, user_id FROM billing.holds
          WHERE status = 'open' AND expires_at <= now()
          ORDER BY expires_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (holds.length === 0) return 0;
      // Accounts locked in user-id order, like batch adjustments, so the two cannot deadlock.
      await tx.query(`SELECT 1 FROM billing.accounts WHERE user_id = ANY($1::uuid[]) ORDER BY user_id FOR UPDATE`, [
        [...new Set(holds.map((hold) => hold.user_id))],
      ]);
      const written = await tx.query<Array<{ hold_id: string }>>(
        `WITH expired AS (
           UPDATE billing.holds SET status = 'expired', charged_micros = amount_micros, closed_at = now()
            WHERE id = ANY($1::uuid[]) AND status = 'open'
           RETURNING id, user_id, amount_micros, tid
         ), per_user AS (
           SELECT user_id, sum(amount_micros)::bigint AS total FROM expired GROUP BY user_id
         ), touched AS (
           UPDATE billing.accounts a SET held_micros = a.held_micros - p.total, updated_at = now()
             FROM per_user p WHERE a.user_id = p.user_id
           RETURNING a.user_id, a.balance_micros
         )
         INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
         SELECT e.user_id, 'expiry', 0, a.balance_micros, e.id, $2,
                'no settlement in time: charged the held ' || e.amount_micros || ' micros', e.tid, 'expiry:' || e.id
           FROM expired e JOIN touched a ON a.user_id = e.user_id
         RETURNING hold_id`,
        [holds.map((hold) => hold.id), EXPIRY_ACTOR],
      );
      if (written.length !== holds.length)
        throw new Error('hold expiry wrote fewer ledger rows than holds; rolled back');
      return holds.length;
    });
  }
}
