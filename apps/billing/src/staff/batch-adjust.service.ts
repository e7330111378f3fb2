import { Injectable } from '@nestjs/common';
import {
  LIMITS,
  ok,
  refused,
  type BatchAdjustRequest,
  type BatchAdjustResult,
  type BatchAdjustRowResult,
  type BatchRowsRequest,
  type Page,
  type Reply,
  type StageBatchRowsRequest,
  type StagedBatchRows,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { isUniqueViolation } from '../db-errors.js';
import { GrantReclaimer } from '../grants/grant-reclaimer.js';
import { AdjustmentBatchesRepository, type BatchRowOutcome } from './adjustment-batches.repository.js';
import { AdjustmentLedger, type AdjustmentLine, type LineEffect } from './adjustment-ledger.js';
import { toAdjustmentLine } from './adjustment-line.js';

const DEFAULT_ROWS_PAGE = 100;

/**
 * Batch adjustments: many adjustments, all or nothing, in one transaction.
 * A dry run reports what each row would do and changes nothing. Any row in
 * error (a user auth does not know, a reused idempotency key, a balance
 * taken below zero) means no row
 * is applied; every row's outcome is recorded either way. Rows whose key was
 * applied before are replays and change nothing, so a batch whose answer was
 * lost can simply be sent again.
 *
 * A batch reaches billing in parts (`stage`), then runs (`batchAdjust`); its
 * answer is the counts and the failed rows, every row's result is read with
 * `rows`. None of these messages grows with the rows' text.
 */
@Injectable()
export class BatchAdjustService {
  constructor(
    private readonly adjustments: AdjustmentLedger,
    private readonly batches: AdjustmentBatchesRepository,
    private readonly reclaimer: GrantReclaimer,
  ) {}

  async stage(request: StageBatchRowsRequest): Promise<Reply<StagedBatchRows>> {
    if (request.offset + request.rows.length > LIMITS.batchRows) {
      return refused(
        deny(DenialReason.InvalidRequest, { param: 'rows', detail: `a batch has at most ${LIMITS.batchRows} rows` }),
      );
    }
    const lines = request.rows.map((row) => toAdjustmentLine(row, 'adjustment'));
    const stagedRows = await this.batches.stage(request.batchId, request.offset, lines);
    if (stagedRows === null) {
      return refused(deny(DenialReason.Conflict, { detail: `batch ${request.batchId} has run already` }));
    }
    return ok({ stagedRows });
  }

  async batchAdjust(request: BatchAdjustRequest): Promise<Reply<BatchAdjustResult>> {
    // The same batch run again (its answer was lost on the way) answers with what its run recorded.
    const recorded = await this.batches.recorded(request.batchId);
    if (recorded) return ok(recorded);

    const staged = await this.batches.staged(request.batchId);
    if (staged.length !== request.rowCount || staged.some((row, position) => row.index !== position)) {
      // Another replica ran it meanwhile (its staged rows are results now), or a part never
      // arrived: applying the others would be a batch nobody sent.
      const ranMeanwhile = await this.batches.recorded(request.batchId);
      if (ranMeanwhile) return ok(ranMeanwhile);
      return refused(
        deny(DenialReason.InvalidRequest, {
          param: 'rowCount',
          detail: `batch ${request.batchId} has ${staged.length} of its ${request.rowCount} rows staged, not rows 0 to ${request.rowCount - 1}`,
        }),
      );
    }
    const lines = staged.map((row) => row.line);
    const { dryRun } = request;
    const batch = { batchId: request.batchId, actor: request.actor.trim(), dryRun };
    try {
      // A dry run only says what would happen: it takes nothing back from the edges.
      if (!dryRun) await this.reclaimer.reclaimForDebits(lines);
      const applied = await this.adjustments.apply(
        lines,
        { actor: batch.actor, allowNegative: request.allowNegative === true, dryRun },
        (runner, outcome) =>
          this.batches.record(
            runner,
            { ...batch, applied: outcome.applied },
            lines.map((line, index) =>
              describe(index, line, outcome.effects[index], { dryRun, applied: outcome.applied }),
            ),
          ),
      );
      if (!applied.ok) return applied;
      return ok(applied.value.finished);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The same batch id ran twice at once; the other run recorded it first, and that is the answer.
      const other = await this.batches.recorded(request.batchId);
      if (!other) throw error;
      return ok(other);
    }
  }

  async rows(request: BatchRowsRequest): Promise<Reply<Page<BatchAdjustRowResult>>> {
    const page = await this.batches.rows(request.batchId, request.cursor ?? null, request.limit ?? DEFAULT_ROWS_PAGE);
    return page ? ok(page) : refused(deny(DenialReason.ResourceNotFound, { detail: 'no such batch' }));
  }
}

function describe(
  index: number,
  line: AdjustmentLine,
  effect: LineEffect | undefined,
  run: { dryRun: boolean; applied: boolean },
): BatchRowOutcome {
  if (!effect) throw new Error('batch adjustment lost a row');
  const base = { index, line, error: null, message: null };
  switch (effect.status) {
    case 'replayed':
      return { ...base, status: 'replayed', balanceBefore: null, balanceAfter: null, entryId: String(effect.entry.id) };
    case 'error':
      return {
        ...base,
        status: 'error',
        balanceBefore: effect.balanceBefore,
        balanceAfter: null,
        entryId: null,
        error: effect.kind,
        message: effect.message,
      };
    case 'apply':
      return {
        ...base,
        status: run.applied ? 'applied' : run.dryRun ? 'would_apply' : 'not_applied',
        balanceBefore: effect.balanceBefore,
        balanceAfter: effect.balanceAfter,
        entryId: effect.entry ? String(effect.entry.id) : null,
      };
  }
}
