import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { billingMetrics } from './billing-metrics.js';

/**
 * Feeds the `tollgate_holds_open` and `tollgate_grants_live` gauges from
 * PostgreSQL at scrape time: with several billing replicas, only the database
 * knows how many holds are open. Both counts come from partial indexes
 * (holds_open_by_user, grants_live_by_user), in one statement.
 */
@Injectable()
export class OpenBooksGauges implements OnModuleInit {
  constructor(private readonly db: DataSource) {}

  onModuleInit(): void {
    billingMetrics.watchOpenBooks(async () => {
      const [row] = await this.db.query<Array<{ holds: string; grants: string }>>(
        `SELECT (SELECT count(*) FROM billing.holds WHERE status = 'open') AS holds,
                (SELECT count(*) FROM billing.grants WHERE status <> 'closed') AS grants`,
      );
      return { holds: Number(row?.holds ?? Number.NaN), grants: Number(row?.grants ?? Number.NaN) };
    });
  }
}
