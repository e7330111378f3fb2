import { Injectable } from '@nestjs/common';
import {
  ok,
  refused,
  type AdjustmentResult,
  type AdjustRequest,
  type Reply,
  type TopUpRequest,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { toLedgerEntryView } from '../ledger/ledger-entry.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { AdjustmentLedger, type AdjustmentLine } from './adjustment-ledger.js';
import { toAdjustmentLine } from './adjustment-line.js';

/**
 * `topUp` and `adjust`: one balance change each, idempotent by key. The same
 * key again (same user, type and amount) changes nothing and answers with the
 * entry the first request wrote; the same key for a different change is a
 * 409. A user auth does not know is a 404 naming it, and nothing moves.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly adjustments: AdjustmentLedger,
    private readonly ledger: LedgerService,
  ) {}

  topUp(request: TopUpRequest): Promise<Reply<AdjustmentResult>> {
    return this.applyOne(toAdjustmentLine(request, 'topup'), { actor: request.actor, allowNegative: false });
  }

  /** A negative adjustment may not take the balance below zero unless `allowNegative`. */
  adjust(request: AdjustRequest): Promise<Reply<AdjustmentResult>> {
    return this.applyOne(toAdjustmentLine(request, 'adjustment'), {
      actor: request.actor,
      allowNegative: request.allowNegative === true,
    });
  }

  private async applyOne(
    line: AdjustmentLine,
    { actor, allowNegative }: { actor: string; allowNegative: boolean },
  ): Promise<Reply<AdjustmentResult>> {
    const outcome = await this.adjustments.apply([line], { actor: actor.trim(), allowNegative, dryRun: false });
    if (!outcome.ok) return outcome;
    const effect = outcome.value.effects[0];
    if (!effect) throw new Error('no effect for a single adjustment');
    if (effect.status === 'error') {
      const reason = effect.kind === 'unknown_user' ? DenialReason.ResourceNotFound : DenialReason.Conflict;
      return refused(deny(reason, { detail: effect.message }));
    }
    if (!effect.entry) throw new Error('an applied adjustment wrote no ledger entry');
    return ok({
      entry: toLedgerEntryView(effect.entry),
      balance: await this.ledger.balance(line.userId),
      replayed: effect.status === 'replayed',
    });
  }
}
