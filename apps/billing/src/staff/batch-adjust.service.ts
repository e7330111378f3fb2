import { Injectable } from '@nestjs/common';
import {
  BatchAdjustRow,
  compile,
  ok,
  type BatchAdjustRequest,
  type BatchAdjustResult,
  type BatchAdjustRowResult,
  type InputProblem,
  type Reply,
} from '@tollgate/contracts';
import { AdjustmentLedger, type AdjustmentLine, type LineEffect } from './adjustment-ledger.js';
import { toAdjustmentLine } from './adjustment-line.js';

const rowCheck = compile(BatchAdjustRow);

/** A row that is not a BatchAdjustRow: why, and its fields as they were sent, for the row's result. */
interface RejectedRow {
  error: string;
  userId: string;
  amountMicros: string;
  idempotencyKey: string;
}

/**
 * `batchAdjust`: many adjustments, all or nothing, in one transaction.
 * A dry run reports what each row would do and changes nothing. Any row in
 * error (a bad field, a user auth does not know, a reused idempotency key, a
 * balance taken below zero) means no row is applied; every row reports its
 * own outcome either way. Rows whose key was applied before are replays and
 * change nothing, so a batch that timed out can simply be sent again.
 */
@Injectable()
export class BatchAdjustService {
  constructor(private readonly adjustments: AdjustmentLedger) {}

  async batchAdjust(request: BatchAdjustRequest): Promise<Reply<BatchAdjustResult>> {
    const { dryRun } = request;
    const actor = request.actor.trim();
    const allowNegative = request.allowNegative === true;
    // The request's schema leaves the rows to this check, so that each bad row is reported in its own result.
    const rows = request.rows.map((row: unknown): { line: AdjustmentLine } | RejectedRow => {
      const checked = rowCheck.check(row);
      return checked.ok ? { line: toAdjustmentLine(checked.value, 'adjustment') } : rejectedRow(row, checked.problem);
    });

    const lines = rows.flatMap((row) => ('line' in row ? [row.line] : []));
    const rejected = lines.length < rows.length;
    // With a rejected row nothing will be applied, but the other rows are still
    // worked out (as a dry run) so that staff see every problem at once.
    const applied = await this.adjustments.apply(lines, { actor, allowNegative, dryRun: dryRun || rejected });
    if (!applied.ok) return applied;
    const outcome = applied.value;

    let next = 0;
    const results = rows.map((row, index): BatchAdjustRowResult => {
      if (!('line' in row)) {
        return {
          index,
          userId: row.userId,
          amountMicros: row.amountMicros,
          idempotencyKey: row.idempotencyKey,
          status: 'error',
          balanceBeforeMicros: null,
          balanceAfterMicros: null,
          entryId: null,
          error: row.error,
        };
      }
      const effect = outcome.effects[next++];
      if (!effect) throw new Error('batch adjustment lost a row');
      return describe(index, row.line, effect, { dryRun, committed: outcome.committed });
    });
    const errorCount = results.filter((row) => row.status === 'error').length;
    return ok({ dryRun, applied: outcome.committed, errorCount, rows: results });
  }
}

function rejectedRow(row: unknown, problem: InputProblem): RejectedRow {
  const fields: Record<string, unknown> = typeof row === 'object' && row !== null ? { ...row } : {};
  return {
    error: `${problem.param}: ${problem.detail}`,
    userId: echo(fields['userId']),
    amountMicros: echo(fields['amountMicros']),
    idempotencyKey: echo(fields['idempotencyKey']),
  };
}

/** A rejected row's field as it was sent, for the row report. */
const echo = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

function describe(
  index: number,
  line: AdjustmentLine,
  effect: LineEffect,
  run: { dryRun: boolean; committed: boolean },
): BatchAdjustRowResult {
  const base = {
    index,
    userId: line.userId,
    amountMicros: line.amount.toString(),
    idempotencyKey: line.idempotencyKey,
  };
  switch (effect.status) {
    case 'replayed':
      return {
        ...base,
        status: 'replayed',
        balanceBeforeMicros: null,
        balanceAfterMicros: null,
        entryId: String(effect.entry.id),
        error: null,
      };
    case 'error':
      return {
        ...base,
        status: 'error',
        balanceBeforeMicros: effect.balanceBefore?.toString() ?? null,
        balanceAfterMicros: null,
        entryId: null,
        error: effect.message,
      };
    case 'apply':
      return {
        ...base,
        status: run.committed ? 'applied' : run.dryRun ? 'would_apply' : 'not_applied',
        balanceBeforeMicros: effect.balanceBefore.toString(),
        balanceAfterMicros: effect.balanceAfter.toString(),
        entryId: effect.entry ? String(effect.entry.id) : null,
        error: null,
      };
  }
}
