import { Injectable } from '@nestjs/common';
import { ok, type AdjustmentResult, type Reply } from '@tollgate/contracts';
import { toLedgerEntryView } from '../ledger/ledger-entry.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { conflict } from '../request-checks.js';
import { checkAdjust, checkTopUp, type CheckedAdjustment } from './adjustment-input.js';
import { AdjustmentLedger } from './adjustment-ledger.js';

/**
 * `topUp` and `adjust`: one balance change each, idempotent by key. The same
 * key again (same user, type and amount) changes nothing and answers with the
 * entry the first request wrote; the same key for a different change is a
 * 409.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly adjustments: AdjustmentLedger,
    private readonly ledger: LedgerService,
  ) {}

  topUp(input: unknown): Promise<Reply<AdjustmentResult>> {
    const checked = checkTopUp(input);
    return checked.ok ? this.applyOne(checked.value) : Promise.resolve(checked);
  }

  /** A negative adjustment may not take the balance below zero unless `allowNegative`. */
  adjust(input: unknown): Promise<Reply<AdjustmentResult>> {
    const checked = checkAdjust(input);
    return checked.ok ? this.applyOne(checked.value) : Promise.resolve(checked);
  }

  private async applyOne({ line, actor, allowNegative }: CheckedAdjustment): Promise<Reply<AdjustmentResult>> {
    const { effects } = await this.adjustments.apply([line], { actor, allowNegative, dryRun: false });
    const effect = effects[0];
    if (!effect) throw new Error('no effect for a single adjustment');
    if (effect.status === 'error') return conflict(effect.message);
    if (!effect.entry) throw new Error('an applied adjustment wrote no ledger entry');
    return ok({
      entry: toLedgerEntryView(effect.entry),
      balance: await this.ledger.balance(line.userId),
      replayed: effect.status === 'replayed',
    });
  }
}
