import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch adjustments by id. The rows of a batch are staged first (in parts:
 * the largest allowed batch does not fit in one NATS message), then the
 * batch runs: its outcome per row is written onto the staged rows and the
 * batch itself recorded, in the transaction that applies the rows (or alone,
 * when nothing applies). The reply to a batch is its counts and failed rows;
 * every row's result is read from here, a page at a time.
 *
 * A row with `status` null is staged and not yet run; such rows older than
 * an hour are dropped when the next batch is staged.
 */
export class AdjustmentBatches1764720000000 implements MigrationInterface {
  name = 'AdjustmentBatches1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.adjustment_batches (
        id uuid PRIMARY KEY,
        actor text NOT NULL,
        tid text,
        dry_run boolean NOT NULL,
        applied boolean NOT NULL,
        row_count integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.adjustment_batch_rows (
        batch_id uuid NOT NULL,
        row_index integer NOT NULL,
        user_id uuid NOT NULL,
        amount_micros bigint NOT NULL,
        reason text NOT NULL,
        idempotency_key text NOT NULL,
        staged_at timestamptz NOT NULL DEFAULT now(),
        status text CHECK (status IN ('applied', 'would_apply', 'replayed', 'error', 'not_applied')),
        balance_before_micros bigint,
        balance_after_micros bigint,
        entry_id bigint,
        error text CHECK (error IN ('unknown_user', 'key_repeated', 'key_reused', 'below_zero')),
        message text,
        PRIMARY KEY (batch_id, row_index)
      )`);
    await q.query(
      `CREATE INDEX adjustment_batch_rows_staged ON billing.adjustment_batch_rows (staged_at) WHERE status IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE billing.adjustment_batch_rows`);
    await q.query(`DROP TABLE billing.adjustment_batches`);
  }
}
