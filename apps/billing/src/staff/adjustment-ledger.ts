import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { ok, type BatchRowError, type Reply } from '@tollgate/contracts';
import { TraceContext } from '@tollgate/observability';
import { UserRegistry } from '../accounts/user-registry.js';
import { isUniqueViolation } from '../db-errors.js';
import { LEDGER_COLUMNS, type LedgerRow } from '../ledger/ledger-entry.js';
import { lineProblem } from './line-problem.js';

/** One balance change requested by staff: a top-up or a signed adjustment. */
export interface AdjustmentLine {
  userId: string;
  type: 'topup' | 'adjustment';
  amount: bigint;
  reason: string | null;
  idempotencyKey: string;
}

export interface AdjustmentOptions {
  actor: string;
  /** Let a negative line take a balance below zero. */
  allowNegative: boolean;
  /** Work out every effect, then roll back. */
  dryRun: boolean;
}

export type LineEffect =
  | { status: 'apply'; balanceBefore: bigint; balanceAfter: bigint; entry: LedgerRow | null }
  /** The idempotency key was applied before with the same user, type and amount. */
  | { status: 'replayed'; entry: LedgerRow }
  | { status: 'error'; kind: BatchRowError; balanceBefore: bigint | null; message: string };

export interface AdjustmentOutcome {
  /**
   * True when every line is in the ledger: written now, or before (a
   * replay). Never for a dry run or when any line failed: then nothing was.
   */
  applied: boolean;
  effects: LineEffect[];
}

/**
 * Work that commits with the lines, in their transaction: what the caller
 * answers with is read or recorded here, so that once the lines are
 * committed no later step is left that could fail and turn the answer into
 * an error. When the lines were not applied it runs too, and commits alone.
 */
export type InTransaction<T> = (runner: QueryRunner, outcome: AdjustmentOutcome) => Promise<T>;

/**
 * Applies staff balance changes all-or-nothing, in one transaction, in line
 * order — used for a single top-up or adjustment as well as for a batch.
 *
 * The accounts are locked (in user-id order, so two batches cannot deadlock)
 * before anything is read, so the balances the effects are computed from are
 * the ones that get written: no concurrent reserve, settlement or other
 * adjustment can slip in between. Idempotency keys are checked under the same
 * locks; a concurrent first use of the same key on another user trips the
 * ledger's unique index and the whole thing runs once more, then sees it.
 */
@Injectable()
export class AdjustmentLedger {
  constructor(
    private readonly db: DataSource,
    private readonly users: UserRegistry,
  ) {}

  /**
   * The outcome, or a denial when auth must be asked whether a user exists
   * and does not answer (then nothing is applied).
   */
  async apply<T>(
    lines: readonly AdjustmentLine[],
    options: AdjustmentOptions,
    finish: InTransaction<T>,
  ): Promise<Reply<{ outcome: AdjustmentOutcome; finished: T }>> {
    // Before any lock: a user created a moment ago, whose event has not arrived
    // yet, is asked of auth now and recorded, so the transaction below finds it.
    const checked = await this.users.unknownUsers(lines.map((line) => line.userId));
    if (!checked.ok) return checked;
    try {
      return ok(await this.attempt(lines, options, finish));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return ok(await this.attempt(lines, options, finish));
    }
  }

  private async attempt<T>(
    lines: readonly AdjustmentLine[],
    options: AdjustmentOptions,
    finish: InTransaction<T>,
  ): Promise<{ outcome: AdjustmentOutcome; finished: T }> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SAVEPOINT lines');
      const outcome = await this.inTransaction(runner, lines, options);
      // Lines not applied leave nothing behind, not even the account a first top-up would have created.
      if (!outcome.applied) await runner.query('ROLLBACK TO SAVEPOINT lines');
      const finished = await finish(runner, outcome);
      await runner.commitTransaction();
      return { outcome, finished };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async inTransaction(
    runner: QueryRunner,
    lines: readonly AdjustmentLine[],
    options: AdjustmentOptions,
  ): Promise<AdjustmentOutcome> {
    const users = [...new Set(lines.map((line) => line.userId))].sort();
    // A first top-up creates the account, but only for a user auth has told billing about; rolled back with
    // everything else if the lines are not applied. The lock is taken on accounts that have a known user only:
    // a line whose user is not among them is refused below, before anything is written. Auth never deletes a
    // user, so one known here stays known until the commit.
    await runner.query(
      `INSERT INTO billing.accounts (user_id)
       SELECT user_id FROM billing.known_users WHERE user_id = ANY($1::uuid[]) ORDER BY user_id
       ON CONFLICT (user_id) DO NOTHING`,
      [users],
    );
    const locked = (await runner.query(
      `SELECT a.user_id, a.balance_micros, a.granted_micros
         FROM billing.accounts a JOIN billing.known_users k ON k.user_id = a.user_id
        WHERE a.user_id = ANY($1::uuid[]) ORDER BY a.user_id FOR UPDATE OF a`,
      [users],
    )) as Array<{ user_id: string; balance_micros: string; granted_micros: string }>;
    const balances = new Map(locked.map((row) => [row.user_id, BigInt(row.balance_micros)]));
    // Earmarked for edges by credit grants: a debit may not take what an edge may already have admitted.
    const granted = new Map(locked.map((row) => [row.user_id, BigInt(row.granted_micros)]));
    const earlier = (await runner.query(
      `SELECT ${LEDGER_COLUMNS} FROM billing.ledger WHERE idempotency_key = ANY($1::text[])`,
      [lines.map((line) => line.idempotencyKey)],
    )) as LedgerRow[];
    const byKey = new Map(earlier.map((row) => [row.idempotency_key, row]));

    const firstIndexOfKey = new Map<string, number>();
    const effects = lines.map((line, index): LineEffect => {
      if (!balances.has(line.userId)) {
        return {
          status: 'error',
          kind: 'unknown_user',
          balanceBefore: null,
          message: lineProblem.unknownUser(line.userId),
        };
      }
      const firstIndex = firstIndexOfKey.get(line.idempotencyKey);
      if (firstIndex !== undefined) {
        return {
          status: 'error',
          kind: 'key_repeated',
          balanceBefore: balances.get(line.userId) ?? null,
          message: lineProblem.keyRepeated(firstIndex),
        };
      }
      firstIndexOfKey.set(line.idempotencyKey, index);
      const previous = byKey.get(line.idempotencyKey);
      if (previous) {
        const same =
          previous.user_id === line.userId &&
          previous.type === line.type &&
          BigInt(previous.amount_micros) === line.amount;
        return same
          ? { status: 'replayed', entry: previous }
          : {
              status: 'error',
              kind: 'key_reused',
              balanceBefore: balances.get(line.userId) ?? null,
              message: lineProblem.keyReused(String(previous.id)),
            };
      }
      const before = balances.get(line.userId) ?? 0n;
      const after = before + line.amount;
      const liens = granted.get(line.userId) ?? 0n;
      // What is left to spend, balance − granted, may not go below zero (the balance alone may, by the liens).
      if (line.amount < 0n && after - liens < 0n && !options.allowNegative) {
        return {
          status: 'error',
          kind: 'below_zero',
          balanceBefore: before,
          message: lineProblem.belowZero(line.userId, before, line.amount, liens),
        };
      }
      balances.set(line.userId, after);
      return { status: 'apply', balanceBefore: before, balanceAfter: after, entry: null };
    });

    if (options.dryRun || effects.some((effect) => effect.status === 'error')) return { applied: false, effects };
    await this.write(runner, lines, effects, options.actor, balances);
    return { applied: true, effects };
  }

  private async write(
    runner: QueryRunner,
    lines: readonly AdjustmentLine[],
    effects: LineEffect[],
    actor: string,
    finalBalances: ReadonlyMap<string, bigint>,
  ): Promise<void> {
    const applied = lines.flatMap((line, index) => {
      const effect = effects[index];
      return effect?.status === 'apply' ? [{ line, effect, index }] : [];
    });
    if (applied.length === 0) return;
    const written = (await runner.query(
      `INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, actor, reason, tid, idempotency_key)
       SELECT user_id, type, amount, balance_after, $7, reason, $8, idempotency_key
         FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])
              WITH ORDINALITY AS line(user_id, type, amount, balance_after, reason, idempotency_key, position)
        ORDER BY position
       RETURNING ${LEDGER_COLUMNS}`,
      [
        applied.map(({ line }) => line.userId),
        applied.map(({ line }) => line.type),
        applied.map(({ line }) => line.amount.toString()),
        applied.map(({ effect }) => effect.balanceAfter.toString()),
        applied.map(({ line }) => line.reason),
        applied.map(({ line }) => line.idempotencyKey),
        actor,
        TraceContext.tid() ?? null,
      ],
    )) as LedgerRow[];
    const byKey = new Map(written.map((row) => [row.idempotency_key, row]));
    for (const { line, effect, index } of applied)
      effects[index] = { ...effect, entry: byKey.get(line.idempotencyKey) ?? null };
    // Setting the computed balance is safe: the rows have been locked since they were read.
    const touched = [...new Set(applied.map(({ line }) => line.userId))];
    await runner.query(
      `UPDATE billing.accounts a SET balance_micros = v.balance, updated_at = now()
         FROM unnest($1::uuid[], $2::bigint[]) AS v(user_id, balance)
        WHERE a.user_id = v.user_id`,
      [touched, touched.map((userId) => (finalBalances.get(userId) ?? 0n).toString())],
    );
  }
}
