import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type {
  BatchAdjustResult,
  BatchAdjustRowResult,
  BatchRowCounts,
  BatchRowError,
  BatchRowStatus,
  FailedBatchRow,
  Page,
} from '@tollgate/contracts';
import { TraceContext } from '@tollgate/observability';
import type { AdjustmentLine } from './adjustment-ledger.js';

/** What became of one row of a batch, as recorded. */
export interface BatchRowOutcome {
  index: number;
  line: AdjustmentLine;
  status: BatchRowStatus;
  balanceBefore: bigint | null;
  balanceAfter: bigint | null;
  entryId: string | null;
  error: BatchRowError | null;
  message: string | null;
}

export interface RecordedBatch {
  batchId: string;
  actor: string;
  dryRun: boolean;
  applied: boolean;
}

interface BatchRowRecord {
  row_index: number;
  user_id: string;
  amount_micros: string;
  idempotency_key: string;
  status: BatchRowStatus;
  balance_before_micros: string | null;
  balance_after_micros: string | null;
  entry_id: string | null;
  error: BatchRowError | null;
  message: string | null;
}

interface StagedRow {
  row_index: number;
  user_id: string;
  amount_micros: string;
  reason: string;
  idempotency_key: string;
}

/** Staged rows of a batch whose sender never ran it are dropped after this long. */
const STAGED_ROWS_KEPT = '1 hour';

/** billing.adjustment_batches and their rows: staged before a batch runs, then its outcome, row by row. */
@Injectable()
export class AdjustmentBatchesRepository {
  constructor(private readonly db: DataSource) {}

  /** Stages rows at `offset`, unless the batch has run; the rows staged so far, or null when it has. */
  async stage(batchId: string, offset: number, lines: readonly AdjustmentLine[]): Promise<number | null> {
    // A batch whose sender went away between its parts and its run leaves staged rows; the next batch drops them.
    if (offset === 0) {
      await this.db.query(
        `DELETE FROM billing.adjustment_batch_rows WHERE status IS NULL AND staged_at < now() - $1::interval`,
        [STAGED_ROWS_KEPT],
      );
    }
    await this.db.query(
      `INSERT INTO billing.adjustment_batch_rows (batch_id, row_index, user_id, amount_micros, reason, idempotency_key)
       SELECT $1, $2 + position - 1, user_id, amount, reason, idempotency_key
         FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[])
              WITH ORDINALITY AS line(user_id, amount, reason, idempotency_key, position)
        WHERE NOT EXISTS (SELECT 1 FROM billing.adjustment_batches WHERE id = $1)
       ON CONFLICT (batch_id, row_index) DO UPDATE
          SET user_id = EXCLUDED.user_id, amount_micros = EXCLUDED.amount_micros, reason = EXCLUDED.reason,
              idempotency_key = EXCLUDED.idempotency_key, staged_at = now()
        WHERE billing.adjustment_batch_rows.status IS NULL`,
      [
        batchId,
        offset,
        lines.map((line) => line.userId),
        lines.map((line) => line.amount.toString()),
        lines.map((line) => line.reason),
        lines.map((line) => line.idempotencyKey),
      ],
    );
    const [state] = await this.db.query<Array<{ ran: boolean; staged: number }>>(
      `SELECT EXISTS (SELECT 1 FROM billing.adjustment_batches WHERE id = $1) AS ran,
              (SELECT count(*)::int FROM billing.adjustment_batch_rows WHERE batch_id = $1) AS staged`,
      [batchId],
    );
    return state?.ran ? null : (state?.staged ?? 0);
  }

  /** The batch's staged rows in row order, with their indexes. */
  async staged(batchId: string): Promise<Array<{ index: number; line: AdjustmentLine }>> {
    const rows = await this.db.query<StagedRow[]>(
      `SELECT row_index, user_id, amount_micros, reason, idempotency_key
         FROM billing.adjustment_batch_rows WHERE batch_id = $1 AND status IS NULL ORDER BY row_index`,
      [batchId],
    );
    return rows.map((row) => ({
      index: row.row_index,
      line: {
        userId: row.user_id,
        type: 'adjustment',
        amount: BigInt(row.amount_micros),
        reason: row.reason,
        idempotencyKey: row.idempotency_key,
      },
    }));
  }

  /**
   * Records the batch's outcome in the transaction of `runner`, the one that
   * applied its rows (if they were), and answers with it: counts and failed
   * rows from what is being written, not read back after the commit.
   */
  async record(
    runner: QueryRunner,
    batch: RecordedBatch,
    outcomes: readonly BatchRowOutcome[],
  ): Promise<BatchAdjustResult> {
    await runner.query(
      `UPDATE billing.adjustment_batch_rows r
          SET status = v.status, balance_before_micros = v.balance_before, balance_after_micros = v.balance_after,
              entry_id = v.entry_id, error = v.error, message = v.message
         FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
              AS v(row_index, status, balance_before, balance_after, entry_id, error, message)
        WHERE r.batch_id = $1 AND r.row_index = v.row_index`,
      [
        batch.batchId,
        outcomes.map((row) => row.index),
        outcomes.map((row) => row.status),
        outcomes.map((row) => row.balanceBefore?.toString() ?? null),
        outcomes.map((row) => row.balanceAfter?.toString() ?? null),
        outcomes.map((row) => row.entryId),
        outcomes.map((row) => row.error),
        outcomes.map((row) => row.message),
      ],
    );
    // The primary key makes a batch run once: the same id run twice at the same time fails here, in the second.
    await runner.query(
      `INSERT INTO billing.adjustment_batches (id, actor, tid, dry_run, applied, row_count) VALUES ($1, $2, $3, $4, $5, $6)`,
      [batch.batchId, batch.actor, TraceContext.tid() ?? null, batch.dryRun, batch.applied, outcomes.length],
    );
    const counts = countsOf(outcomes.map((row) => row.status));
    const failedRows = outcomes.flatMap((row): FailedBatchRow[] =>
      row.status === 'error' && row.error !== null && row.message !== null
        ? [{ index: row.index, userId: row.line.userId, error: row.error, message: row.message }]
        : [],
    );
    return { batchId: batch.batchId, dryRun: batch.dryRun, applied: batch.applied, counts, failedRows };
  }

  /** A batch that ran, as its reply said; null when no batch of this id ran. */
  async recorded(batchId: string): Promise<BatchAdjustResult | null> {
    const [batch] = await this.db.query<Array<{ dry_run: boolean; applied: boolean }>>(
      `SELECT dry_run, applied FROM billing.adjustment_batches WHERE id = $1`,
      [batchId],
    );
    if (!batch) return null;
    const statuses = await this.db.query<Array<{ status: BatchRowStatus; rows: number }>>(
      `SELECT status, count(*)::int AS rows FROM billing.adjustment_batch_rows WHERE batch_id = $1 GROUP BY status`,
      [batchId],
    );
    const failed = await this.db.query<
      Array<{ row_index: number; user_id: string; error: BatchRowError; message: string }>
    >(
      `SELECT row_index, user_id, error, message FROM billing.adjustment_batch_rows
        WHERE batch_id = $1 AND status = 'error' ORDER BY row_index`,
      [batchId],
    );
    const counts = countsOf([]);
    for (const { status, rows } of statuses) counts[status] = rows;
    return {
      batchId,
      dryRun: batch.dry_run,
      applied: batch.applied,
      counts,
      failedRows: failed.map((row) => ({
        index: row.row_index,
        userId: row.user_id,
        error: row.error,
        message: row.message,
      })),
    };
  }

  /** A page of a batch's row results after row `afterIndex`; null when no batch of this id ran. */
  async rows(batchId: string, afterIndex: string | null, limit: number): Promise<Page<BatchAdjustRowResult> | null> {
    const batches = await this.db.query<unknown[]>(`SELECT 1 FROM billing.adjustment_batches WHERE id = $1`, [batchId]);
    if (batches.length === 0) return null;
    const rows = await this.db.query<BatchRowRecord[]>(
      `SELECT row_index, user_id, amount_micros, idempotency_key, status, balance_before_micros,
              balance_after_micros, entry_id, error, message
         FROM billing.adjustment_batch_rows
        WHERE batch_id = $1 AND status IS NOT NULL AND row_index > $2::bigint
        ORDER BY row_index LIMIT $3`,
      [batchId, afterIndex ?? '-1', limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map(toRowResult),
      nextCursor: rows.length > limit ? String(page[page.length - 1]?.row_index) : null,
    };
  }
}

function countsOf(statuses: readonly BatchRowStatus[]): BatchRowCounts {
  const counts: BatchRowCounts = { applied: 0, would_apply: 0, replayed: 0, error: 0, not_applied: 0 };
  for (const status of statuses) counts[status] += 1;
  return counts;
}

const toRowResult = (row: BatchRowRecord): BatchAdjustRowResult => ({
  index: row.row_index,
  userId: row.user_id,
  amountMicros: String(row.amount_micros),
  idempotencyKey: row.idempotency_key,
  status: row.status,
  balanceBeforeMicros: row.balance_before_micros === null ? null : String(row.balance_before_micros),
  balanceAfterMicros: row.balance_after_micros === null ? null : String(row.balance_after_micros),
  entryId: row.entry_id === null ? null : String(row.entry_id),
  error: row.error,
  message: row.message,
});
