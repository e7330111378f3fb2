import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The indexes the request log reads the usage log by (issue 16, item 4):
 * a tid a customer quotes, and pages newest first on the keyset
 * (created_at, id), by user, by key, or over everyone. The other filters
 * (model, channel, status) narrow the walk of one of these.
 *
 * (created_at, id) serves every query the old index on created_at alone
 * did (the usage report's date range), so that one is dropped: each index
 * is one more write in every settlement. IF [NOT] EXISTS, so that an index
 * an operator made ahead of the upgrade by hand (CONCURRENTLY, on a large
 * log) is kept rather than refused.
 */
export class RequestLogIndexes1764760000000 implements MigrationInterface {
  name = 'RequestLogIndexes1764760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS usage_log_by_tid ON billing.usage_log (tid)`);
    await q.query(`CREATE INDEX IF NOT EXISTS usage_log_by_user ON billing.usage_log (user_id, created_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS usage_log_by_key ON billing.usage_log (key_id, created_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS usage_log_by_time_and_id ON billing.usage_log (created_at, id)`);
    await q.query(`DROP INDEX IF EXISTS billing.usage_log_by_time`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS usage_log_by_time ON billing.usage_log (created_at)`);
    for (const index of ['usage_log_by_time_and_id', 'usage_log_by_key', 'usage_log_by_user', 'usage_log_by_tid']) {
      await q.query(`DROP INDEX IF EXISTS billing.${index}`);
    }
  }
}
