import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HoldView } from '@tollgate/contracts';
import { MicroBatcher } from '@tollgate/service';
import type { Quote } from '../pricing/price-book.js';
import type { ReserveHoldOutcome } from '../sql/sql-outcomes.js';

export interface ReserveCall {
  /** The edge's id for the hold (see ReserveRequest.holdId). */
  holdId: string;
  userId: string;
  keyId: string;
  model: string;
  group: string;
  tid: string | null;
  actor: string;
  quote: Quote;
  /** The key's budget; null = none. */
  keyBudgetMicros: bigint | null;
  keyScope: string;
  keyRpm: number;
  userScope: string;
  userRpm: number;
  ttlMs: number;
  synchronousCommit: boolean;
  /**
   * Epoch ms after which the edge no longer waits for this reserve (it then
   * answers 503 and publishes a release for the hold id). A reserve still
   * waiting for its batch then is dropped before any SQL: placed later, its
   * hold could outlast the release's retries and expire at the full estimate
   * for a request that was never served.
   */
  deadline: number;
}

export type ReserveOutcome =
  | { outcome: 'ok'; holdId: string; limit: number; remaining: number; resetSeconds: number }
  | { outcome: Exclude<ReserveHoldOutcome, 'ok'>; limit: number; resetSeconds: number }
  | { outcome: 'too_late' };

interface ReserveRow {
  r_index: number;
  r_outcome: ReserveHoldOutcome;
  r_hold_id: string | null;
  r_limit: number;
  r_remaining: number;
  r_reset_seconds: number;
}

interface HoldRow {
  id: string;
  user_id: string;
  key_id: string;
  model: string;
  amount_micros: string;
  tid: string | null;
  grant_id: string | null;
  created_at: Date;
  expires_at: Date;
}

/** The clock reserves' deadlines are read against (Date.now in the service). */
export const HOLDS_CLOCK = Symbol('HOLDS_CLOCK');

/** Reserves running at once per replica; the ones arriving meanwhile form the next batch. */
const CONCURRENT_RESERVE_BATCHES = 2;
const MAX_RESERVE_BATCH = 64;

@Injectable()
export class HoldsRepository {
  private readonly batcher = new MicroBatcher<ReserveCall, ReserveOutcome>({
    maxBatchSize: MAX_RESERVE_BATCH,
    maxConcurrentBatches: CONCURRENT_RESERVE_BATCHES,
    run: (calls) => this.reserveBatch(calls),
  });

  constructor(
    private readonly db: DataSource,
    // Injected by specs only (a clock ahead of time); nothing provides this token in the service.
    @Optional() @Inject(HOLDS_CLOCK) private readonly now: () => number = Date.now,
  ) {}

  /**
   * Rate limits, debit, key budget, hold and ledger row, in the database's
   * billing.reserve_hold. Concurrent reserves share one transaction and one
   * round trip (billing.reserve_holds); each is still checked on its own.
   */
  reserve(call: ReserveCall): Promise<ReserveOutcome> {
    return this.batcher.submit(call);
  }

  /** How the reserves were batched (see MicroBatcher.stats). */
  get batchStats(): MicroBatcher<ReserveCall, ReserveOutcome>['stats'] {
    return this.batcher.stats;
  }

  private async reserveBatch(calls: ReserveCall[]): Promise<ReserveOutcome[]> {
    const now = this.now();
    const live = calls.filter((call) => call.deadline >= now);
    const outcomes = live.length > 0 ? await this.reserveLive(live) : [];
    let next = 0;
    return calls.map((call) => (call.deadline >= now ? outcomes[next++] : { outcome: 'too_late' }));
  }

  private async reserveLive(calls: ReserveCall[]): Promise<ReserveOutcome[]> {
    const items = calls.map((call) => {
      const { prices } = call.quote;
      return {
        holdId: call.holdId,
        userId: call.userId,
        keyId: call.keyId,
        model: call.model,
        group: call.group,
        tid: call.tid,
        actor: call.actor,
        amount: call.quote.amountMicros.toString(),
        keyBudget: call.keyBudgetMicros?.toString() ?? null,
        keyScope: call.keyScope,
        keyRpm: call.keyRpm,
        userScope: call.userScope,
        userRpm: call.userRpm,
        ttlMs: call.ttlMs,
        imageSize: call.quote.imageSize,
        inputPrice: prices.inputPerMillionMicros.toString(),
        outputPrice: prices.outputPerMillionMicros.toString(),
        imagePrice: prices.imageMicros?.toString() ?? null,
        charactersPrice: prices.charactersPerMillionMicros.toString(),
        cachedInputPrice: prices.cachedInputPerMillionMicros?.toString() ?? null,
        cacheWritePrice: prices.cacheWritePerMillionMicros?.toString() ?? null,
        reasoningPrice: prices.reasoningPerMillionMicros?.toString() ?? null,
        audioMinutePrice: prices.audioPerMinuteMicros?.toString() ?? null,
        multiplierBp: call.quote.multiplierBp,
      };
    });
    // One asking to wait for the WAL flush makes the whole batch wait (they share the commit).
    const synchronousCommit = calls.some((call) => call.synchronousCommit);
    const rows = await this.db.query<ReserveRow[]>(`SELECT * FROM billing.reserve_holds($1::jsonb, $2)`, [
      JSON.stringify(items),
      synchronousCommit,
    ]);
    const byIndex = new Map(rows.map((row) => [row.r_index, row]));
    return calls.map((_, index) => outcomeOf(byIndex.get(index + 1)));
  }

  async openHolds(userId: string): Promise<HoldView[]> {
    const rows = await this.db.query<HoldRow[]>(
      `SELECT id, user_id, key_id, model, amount_micros, tid, grant_id, created_at, expires_at
         FROM billing.holds WHERE user_id = $1 AND status = 'open' ORDER BY created_at, id`,
      [userId],
    );
    return rows.map((row) => ({
      holdId: row.id,
      userId: row.user_id,
      keyId: row.key_id,
      model: row.model,
      amountMicros: row.amount_micros,
      tid: row.tid,
      grantId: row.grant_id,
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
    }));
  }
}

function outcomeOf(row: ReserveRow | undefined): ReserveOutcome {
  if (!row) throw new Error('billing.reserve_holds returned no row for a reserve');
  if (row.r_outcome === 'ok') {
    if (row.r_hold_id === null) throw new Error('billing.reserve_hold admitted a request without a hold id');
    return {
      outcome: 'ok',
      holdId: row.r_hold_id,
      limit: row.r_limit,
      remaining: row.r_remaining,
      resetSeconds: row.r_reset_seconds,
    };
  }
  return { outcome: row.r_outcome, limit: row.r_limit, resetSeconds: row.r_reset_seconds };
}
