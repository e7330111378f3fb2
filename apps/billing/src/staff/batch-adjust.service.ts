import { Injectable } from '@nestjs/common';
import { ok, type BatchAdjustResult, type BatchAdjustRowResult, type Reply } from '@tollgate/contracts';
import { checkBatch } from './adjustment-input.js';
import { AdjustmentLedger, type AdjustmentLine, type LineEffect } from './adjustment-ledger.js';

/**
 * `batchAdjust`: many adjustments, all or nothing, in one transaction.
 * A dry run reports what each row would do and changes nothing. Any row in
 * error (a bad field, a reused idempotency key, a balance taken below zero)
 * means no row is applied; every row reports its own outcome either way.
 * Rows whose key was applied before are replays and change nothing, so a
 * batch that timed out can simply be sent again.
 */
@Injectable()
export class BatchAdjustService {
  constructor(private readonly adjustments: AdjustmentLedger) {}

  async batchAdjust(input: unknown): Promise<Reply<BatchAdjustResult>> {
    const checked = checkBatch(input);
    if (!checked.ok) return checked;
    const { rows, actor, allowNegative, dryRun } = checked.value;

    const lines = rows.flatMap((row) => ('line' in row ? [row.line] : []));
    const rejected = lines.length < rows.length;
    // With a rejected row nothing will be applied, but the other rows are still
    // worked out (as a dry run) so that staff see every problem at once.
    const outcome = await this.adjustments.apply(lines, { actor, allowNegative, dryRun: dryRun || rejected });

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
