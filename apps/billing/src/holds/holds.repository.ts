import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HoldView } from '@tollgate/contracts';
import type { Quote } from '../pricing/price-book.js';

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
}

export type ReserveOutcome =
  | { outcome: 'ok'; holdId: string; limit: number; remaining: number; resetSeconds: number }
  | {
      outcome: 'key_rate_limited' | 'user_rate_limited' | 'insufficient_user_quota' | 'key_budget_exceeded';
      limit: number;
      resetSeconds: number;
    };

interface ReserveRow {
  r_outcome: ReserveOutcome['outcome'];
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
  created_at: Date;
  expires_at: Date;
}

@Injectable()
export class HoldsRepository {
  constructor(private readonly db: DataSource) {}

  /** Rate limits, debit, key budget, hold and ledger row: one call to billing.reserve_hold, one round trip. */
  async reserve(call: ReserveCall): Promise<ReserveOutcome> {
    const { prices } = call.quote;
    const rows = await this.db.query<ReserveRow[]>(
      `SELECT * FROM billing.reserve_hold($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
      [
        call.userId,
        call.keyId,
        call.model,
        call.group,
        call.tid,
        call.actor,
        call.quote.amountMicros.toString(),
        call.keyBudgetMicros?.toString() ?? null,
        call.keyScope,
        call.keyRpm,
        call.userScope,
        call.userRpm,
        call.ttlMs,
        call.quote.imageSize,
        prices.inputPerMillionMicros.toString(),
        prices.outputPerMillionMicros.toString(),
        prices.imageMicros?.toString() ?? null,
        prices.charactersPerMillionMicros.toString(),
        call.quote.multiplierBp,
        call.synchronousCommit,
        call.holdId,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('billing.reserve_hold returned no row');
    if (row.r_outcome === 'ok' && row.r_hold_id !== null) {
      return {
        outcome: 'ok',
        holdId: row.r_hold_id,
        limit: row.r_limit,
        remaining: row.r_remaining,
        resetSeconds: row.r_reset_seconds,
      };
    }
    if (row.r_outcome === 'ok') throw new Error('billing.reserve_hold admitted a request without a hold id');
    return { outcome: row.r_outcome, limit: row.r_limit, resetSeconds: row.r_reset_seconds };
  }

  async openHolds(userId: string): Promise<HoldView[]> {
    const rows = await this.db.query<HoldRow[]>(
      `SELECT id, user_id, key_id, model, amount_micros, tid, created_at, expires_at
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
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
    }));
  }
}
