import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's tid filter (GET /admin/v1/users/{id}/ledger?tid=): support
 * looks up the lines a quoted tid wrote, which may be years deep in a
 * customer's history. Without this index the query walks the user's lines
 * newest first (ledger_by_user) until it passes them all. The column is
 * nullable, and a null is never looked up, so those rows stay out of the
 * index. IF NOT EXISTS, as for the request log's indexes: an operator may
 * build it CONCURRENTLY on a large ledger before the upgrade.
 */
export class LedgerByTid1764770000000 implements MigrationInterface {
  name = 'LedgerByTid1764770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ledger_by_tid ON billing.ledger (tid) WHERE tid IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS billing.ledger_by_tid`);
  }
}
