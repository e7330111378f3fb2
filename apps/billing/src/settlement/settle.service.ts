import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

  /**
   * The hold is read without a lock to price the usage at its quoted prices;
   * then billing.settle_hold applies everything in one round trip, and only
   * if the hold is still open — a duplicate arriving on another replica at
   * the same moment finds it closed and changes nothing.
   */
  async settle(settlement: Settlement): Promise<SettleOutcome> {
    const [hold] = await this.db.query<HoldRow[]>(
      `SELECT id, user_id, key_id, model, status, amount_micros, image_price_micros, input_per_million_micros,
              output_per_million_micros, characters_per_million_micros, multiplier_bp
         FROM billing.holds WHERE id = $1`,
      [settlement.holdId],
    );
    if (!hold) return { kind: 'unknown_hold' };
    if (hold.status !== 'open') return { kind: 'not_open', status: hold.status };
    if (hold.user_id !== settlement.userId || hold.key_id !== settlement.keyId) {
      // The hold is the record of who reserved; the settlement only reports usage.
      this.logger.warn(
        { holdId: hold.id, userId: settlement.userId, keyId: settlement.keyId },
        "settlement names another user or key than its hold; charging the hold's",
      );
    }
    const cost = settlement.succeeded ? this.actualCost(hold, settlement) : 0n;
    const reason = settlement.succeeded
      ? `${hold.model}: ${describeUsage(settlement)}`
      : `${hold.model}: request failed (HTTP ${settlement.httpStatus})`;
    const { usage } = settlement;
    const [row] = await this.db.query<Array<{ r_outcome: string; r_held: string | null }>>(
      `SELECT * FROM billing.settle_hold($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        hold.id,
        cost.toString(),
        settlement.succeeded,
        reason,
        settlement.tid || null,
        SETTLEMENT_ACTOR,
        settlement.channelId,
        usage.inputTokens,
        usage.outputTokens,
        usage.images,
        usage.characters,
        settlement.latencyMs,
        settlement.httpStatus,
        settlement.stream,
      ],
    );
    if (!row || row.r_outcome === 'not_open' || row.r_held === null) return { kind: 'not_open', status: 'closed' };
    const held = BigInt(row.r_held);
    return settlement.succeeded
      ? { kind: 'settled', chargedMicros: cost, releasedMicros: held }
      : { kind: 'released', releasedMicros: held };
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
}

function describeUsage(settlement: Settlement): string {
  const { inputTokens, outputTokens, images, characters } = settlement.usage;
  const parts = [`${inputTokens} in`, `${outputTokens} out`];
  if (images > 0) parts.push(`${images} images`);
  if (characters > 0) parts.push(`${characters} chars`);
  return parts.join(', ');
}
