import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { ok, type Reply } from '@tollgate/contracts';
import { TraceContext } from '@tollgate/observability';
import { UserRegistry } from '../accounts/user-registry.js';
import { isUniqueViolation } from '../db-errors.js';
import { LEDGER_COLUMNS, type LedgerRow } from '../ledger/ledger-entry.js';

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
  | {
      status: 'error';
      /** unknown_user: auth has no such user, so billing holds no account for it. */
      kind: 'unknown_user' | 'key_reused' | 'below_zero';
      balanceBefore: bigint | null;
      message: string;
    };

export interface AdjustmentOutcome {
  /** True when the lines were written and committed (never for a dry run or when any line failed). */
  committed: boolean;
  effects: LineEffect[];
}

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
  async apply(lines: readonly AdjustmentLine[], options: AdjustmentOptions): Promise<Reply<AdjustmentOutcome>> {
    // Before any lock: a user created a moment ago, whose event has not arrived
    // yet, is asked of auth now and recorded, so the transaction below finds it.
    const checked = await this.users.unknownUsers(lines.map((line) => line.userId));
    if (!checked.ok) return checked;
    try {
      return ok(await this.attempt(lines, options));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return ok(await this.attempt(lines, options));
    }
  }

  private async attempt(lines: readonly AdjustmentLine[], options: AdjustmentOptions): Promise<AdjustmentOutcome> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const outcome = await this.inTransaction(runner, lines, options);
      if (outcome.committed) await runner.commitTransaction();
      else await runner.rollbackTransaction();
      return outcome;
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
      `SELECT a.user_id, a.balance_micros
         FROM billing.accounts a JOIN billing.known_users k ON k.user_id = a.user_id
        WHERE a.user_id = ANY($1::uuid[]) ORDER BY a.user_id FOR UPDATE OF a`,
      [users],
    )) as Array<{ user_id: string; balance_micros: string }>;
    const balances = new Map(locked.map((row) => [row.user_id, BigInt(row.balance_micros)]));
    const earlier = (await runner.query(
      `SELECT ${LEDGER_COLUMNS} FROM billing.ledger WHERE idempotency_key = ANY($1::text[])`,
      [lines.map((line) => line.idempotencyKey)],
    )) as LedgerRow[];
    const byKey = new Map(earlier.map((row) => [row.idempotency_key, row]));

    const keysInRequest = new Set<string>();
    const effects = lines.map((line): LineEffect => {
      if (!balances.has(line.userId)) {
        return { status: 'error', kind: 'unknown_user', balanceBefore: null, message: `no such user ${line.userId}` };
      }
      if (keysInRequest.has(line.idempotencyKey)) {
        return {
          status: 'error',
          kind: 'key_reused',
          balanceBefore: balances.get(line.userId) ?? null,
          message: `idempotency key ${line.idempotencyKey} appears more than once in this request`,
        };
      }
      keysInRequest.add(line.idempotencyKey);
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
              message: `idempotency key ${line.idempotencyKey} was already used for a different change`,
            };
      }
      const before = balances.get(line.userId) ?? 0n;
      const after = before + line.amount;
      if (line.amount < 0n && after < 0n && !options.allowNegative) {
        return {
          status: 'error',
          kind: 'below_zero',
          balanceBefore: before,
          message: `would take the balance of ${line.userId} below zero (${before} + ${line.amount} micros)`,
        };
      }
      balances.set(line.userId, after);
      return { status: 'apply', balanceBefore: before, balanceAfter: after, entry: null };
    });

    if (options.dryRun || effects.some((effect) => effect.status === 'error')) return { committed: false, effects };
    await this.write(runner, lines, effects, options.actor, balances);
    return { committed: true, effects };
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
