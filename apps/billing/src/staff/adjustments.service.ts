import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import {
  ok,
  refused,
  type AdjustmentResult,
  type AdjustRequest,
  type Reply,
  type TopUpRequest,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { GrantReclaimer } from '../grants/grant-reclaimer.js';
import { ACCOUNT_COLUMNS, toBalanceView, toLedgerEntryView, type AccountRow } from '../ledger/ledger-entry.js';
import { AdjustmentLedger, type AdjustmentLine } from './adjustment-ledger.js';
import { toAdjustmentLine } from './adjustment-line.js';

/**
 * `topUp` and `adjust`: one balance change each, idempotent by key. The same
 * key again (same user, type and amount) changes nothing and answers with the
 * entry the first request wrote; the same key for a different change is a
 * 409. A user auth does not know is a 404 naming it, and nothing moves.
 *
 * The answer is made of what the transaction wrote and read (the entry, and
 * the balance read under the account's lock just before the commit): once
 * the change is committed nothing is left to do that could fail, so a
 * change that was made is never answered with an error.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly adjustments: AdjustmentLedger,
    private readonly reclaimer: GrantReclaimer,
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
    await this.reclaimer.reclaimForDebits([line]);
    const applied = await this.adjustments.apply(
      [line],
      { actor: actor.trim(), allowNegative, dryRun: false },
      (runner, { applied }) => (applied ? accountOf(runner, line.userId) : Promise.resolve(undefined)),
    );
    if (!applied.ok) return applied;
    const { outcome, finished: account } = applied.value;
    const effect = outcome.effects[0];
    if (!effect) throw new Error('no effect for a single adjustment');
    if (effect.status === 'error') {
      const reason = effect.kind === 'unknown_user' ? DenialReason.ResourceNotFound : DenialReason.Conflict;
      return refused(deny(reason, { detail: effect.message }));
    }
    if (!effect.entry) throw new Error('an applied adjustment wrote no ledger entry');
    return ok({
      entry: toLedgerEntryView(effect.entry),
      balance: toBalanceView(line.userId, account),
      replayed: effect.status === 'replayed',
    });
  }
}

async function accountOf(runner: QueryRunner, userId: string): Promise<AccountRow | undefined> {
  const rows = (await runner.query(`SELECT ${ACCOUNT_COLUMNS} FROM billing.accounts WHERE user_id = $1`, [
    userId,
  ])) as AccountRow[];
  return rows[0];
}
