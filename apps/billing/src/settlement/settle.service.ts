import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Settlement } from '@tollgate/contracts';
import type { Logger } from '@tollgate/observability';
import { costMicros, type UnitPrices } from '../pricing/cost.js';
import { LOGGER } from '../tokens.js';

/** What applying one settlement did. */
export type SettleOutcome =
  | { kind: 'settled'; chargedMicros: bigint; releasedMicros: bigint }
  | { kind: 'released'; releasedMicros: bigint }
  /** Settled, released or expired before: a duplicate, changes nothing. */
  | { kind: 'not_open'; status: string }
  /** No such hold: nothing to charge (logged; the message is acknowledged). */
  | { kind: 'unknown_hold' };

interface HoldRow {
  id: string;
  user_id: string;
  key_id: string;
  model: string;
  status: string;
  amount_micros: string;
  image_price_micros: string | null;
  input_per_million_micros: string;
  output_per_million_micros: string;
  characters_per_million_micros: string;
  multiplier_bp: number;
}

const SETTLEMENT_ACTOR = 'settlement';

/**
 * Applies a settlement: charges the actual cost at the prices the hold was
 * quoted at, returns the hold, and writes the ledger and the usage log — all
 * in one transaction, at most once per hold.
 *
 * Ledger rows for a hold of A that cost C: `hold −A` (at reserve), then
 * `release +A` and `charge −C` here; net −C. A failed request only gets the
 * release. The charge is the actual cost even when C > A: the balance may go
 * below zero by the overshoot, and the next reserve is refused until it is
 * topped up.
 */
@Injectable()
export class SettleService {
  constructor(
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  settle(settlement: Settlement): Promise<SettleOutcome> {
    return this.db.transaction(async (tx) => {
      // FOR UPDATE: a duplicate delivered to another replica waits here, then
      // sees the hold closed and does nothing — the hold is charged once.
      const [hold] = await tx.query<HoldRow[]>(
        `SELECT id, user_id, key_id, model, status, amount_micros, image_price_micros, input_per_million_micros,
                output_per_million_micros, characters_per_million_micros, multiplier_bp
           FROM billing.holds WHERE id = $1 FOR UPDATE`,
        [settlement.holdId],
      );
      if (!hold) return { kind: 'unknown_hold' } as const;
      if (hold.status !== 'open') return { kind: 'not_open', status: hold.status } as const;
      if (hold.user_id !== settlement.userId || hold.key_id !== settlement.keyId) {
        // The hold is the record of who reserved; the settlement only reports usage.
        this.logger.warn(
          { holdId: hold.id, userId: settlement.userId, keyId: settlement.keyId },
          "settlement names another user or key than its hold; charging the hold's",
        );
      }

      const held = BigInt(hold.amount_micros);
      const cost = settlement.succeeded ? this.actualCost(hold, settlement) : 0n;
      await this.moveMoney(tx, hold, settlement, held, cost);
      await tx.query(`UPDATE billing.holds SET status = $2, charged_micros = $3, closed_at = now() WHERE id = $1`, [
        hold.id,
        settlement.succeeded ? 'settled' : 'released',
        cost.toString(),
      ]);
      await this.logUsage(tx, hold, settlement, cost);
      return settlement.succeeded
        ? ({ kind: 'settled', chargedMicros: cost, releasedMicros: held } as const)
        : ({ kind: 'released', releasedMicros: held } as const);
    });
  }

  private actualCost(hold: HoldRow, settlement: Settlement): bigint {
    const prices: UnitPrices = {
      inputPerMillionMicros: BigInt(hold.input_per_million_micros),
      outputPerMillionMicros: BigInt(hold.output_per_million_micros),
      imageMicros: hold.image_price_micros === null ? null : BigInt(hold.image_price_micros),
      charactersPerMillionMicros: BigInt(hold.characters_per_million_micros),
    };
    let usage = settlement.usage;
    if (usage.images > 0 && prices.imageMicros === null) {
      // The estimate said no images and the model has no image price for any
      // size; the request was served, so charge what can be priced and say so loudly.
      this.logger.error(
        { holdId: hold.id, model: hold.model, images: usage.images },
        'images without a price were not charged',
      );
      usage = { ...usage, images: 0 };
    }
    return costMicros(prices, usage, hold.multiplier_bp);
  }

  /** Balance, held amount, ledger rows and key spend, in the lock order reserve uses (account → key_spend). */
  private async moveMoney(
    tx: EntityManager,
    hold: HoldRow,
    settlement: Settlement,
    held: bigint,
    cost: bigint,
  ): Promise<void> {
    const [rows] = await tx.query<[Array<{ balance_micros: string }>, number]>(
      `UPDATE billing.accounts
          SET balance_micros = balance_micros + $2::bigint - $3::bigint, held_micros = held_micros - $2::bigint, updated_at = now()
        WHERE user_id = $1
      RETURNING balance_micros`,
      [hold.user_id, held.toString(), cost.toString()],
    );
    const after = rows[0];
    if (!after) throw new Error(`hold ${hold.id} has no account row for user ${hold.user_id}`);
    const balance = BigInt(after.balance_micros);
    const reason = settlement.succeeded
      ? `${hold.model}: ${describeUsage(settlement)}`
      : `${hold.model}: request failed (HTTP ${settlement.httpStatus})`;
    const entries: Array<[type: 'release' | 'charge', amount: bigint, balanceAfter: bigint]> = [
      ['release', held, balance + cost],
    ];
    if (settlement.succeeded) entries.push(['charge', -cost, balance]);
    for (const [type, amount, balanceAfter] of entries) {
      await tx.query(
        `INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, hold_id, actor, reason, tid, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          hold.user_id,
          type,
          amount.toString(),
          balanceAfter.toString(),
          hold.id,
          SETTLEMENT_ACTOR,
          reason,
          settlement.tid || null,
          `${type}:${hold.id}`,
        ],
      );
    }
    await tx.query(
      `UPDATE billing.key_spend SET spent_micros = spent_micros - $2::bigint + $3::bigint, updated_at = now() WHERE key_id = $1`,
      [hold.key_id, held.toString(), cost.toString()],
    );
  }

  private async logUsage(tx: EntityManager, hold: HoldRow, settlement: Settlement, cost: bigint): Promise<void> {
    const { usage } = settlement;
    await tx.query(
      `INSERT INTO billing.usage_log (hold_id, tid, user_id, key_id, model, channel_id, input_tokens, output_tokens,
                                      images, characters, cost_micros, latency_ms, http_status, succeeded, stream)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (hold_id) DO NOTHING`,
      [
        hold.id,
        settlement.tid || null,
        hold.user_id,
        hold.key_id,
        hold.model,
        settlement.channelId,
        usage.inputTokens,
        usage.outputTokens,
        usage.images,
        usage.characters,
        cost.toString(),
        settlement.latencyMs,
        settlement.httpStatus,
        settlement.succeeded,
        settlement.stream,
      ],
    );
  }
}

function describeUsage(settlement: Settlement): string {
  const { inputTokens, outputTokens, images, characters } = settlement.usage;
  const parts = [`${inputTokens} in`, `${outputTokens} out`];
  if (images > 0) parts.push(`${images} images`);
  if (characters > 0) parts.push(`${characters} chars`);
  return parts.join(', ');
}
