import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ok, refused, type PricesChanged, type Reply, type UsageEstimate } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import {
  heldMicros,
  imagePriceFor,
  NEUTRAL_MULTIPLIER_BP,
  normaliseImageSize,
  type UnitPrices,
} from '@tollgate/pricing';
import { PRICE_COLUMNS, toModelPrice, type ModelPrice, type PriceRow } from './model-price.js';

/** What a request will be held for, with the unit prices the hold keeps for its settlement. */
export interface Quote {
  prices: UnitPrices;
  imageSize: string | null;
  multiplierBp: number;
  amountMicros: bigint;
}

interface Entry<T> {
  value: Promise<T>;
  until: number;
}

/**
 * Prices and group multipliers for the request path, kept in memory so that
 * a reserve costs one database round trip, not three. Correctness does not
 * rest on the TTL: every change is broadcast and evicts the entry on every
 * replica at once (see PricesService); the TTL only bounds how stale an
 * entry can be if a broadcast were ever missed. A missing price is cached
 * too, so a flood of requests for an unpriced model stays off the database.
 */
@Injectable()
export class PriceBook {
  private readonly prices = new Map<string, Entry<ModelPrice | null>>();
  private readonly multipliers = new Map<string, Entry<number>>();

  constructor(
    private readonly db: DataSource,
    @Inject(BILLING_CONFIG) private readonly config: Pick<BillingConfig, 'PRICE_CACHE_TTL_MS'>,
  ) {}

  /**
   * The estimated cost of a request. A model without a price — or images at
   * a size without one, or audio for a model with no per-minute price — is refused: nothing is ever served free by accident.
   */
  async quote(model: string, group: string, estimate: UsageEstimate): Promise<Reply<Quote>> {
    const [price, multiplierBp] = await Promise.all([this.price(model), this.multiplierBp(group)]);
    if (!price) return refused(deny(DenialReason.ModelPriceMissing, { model }));
    const imageSize = estimate.imageSize === null ? null : normaliseImageSize(estimate.imageSize);
    const prices: UnitPrices = {
      inputPerMillionMicros: price.inputPerMillionMicros,
      outputPerMillionMicros: price.outputPerMillionMicros,
      imageMicros: imagePriceFor(price.imagePriceMicros, imageSize),
      charactersPerMillionMicros: price.charactersPerMillionMicros,
      cachedInputPerMillionMicros: price.cachedInputPerMillionMicros,
      cacheWritePerMillionMicros: price.cacheWritePerMillionMicros,
      reasoningPerMillionMicros: price.reasoningPerMillionMicros,
      audioPerMinuteMicros: price.audioPerMinuteMicros,
    };
    // Absent: an edge from before audio pricing, which never sends audio.
    const audioSeconds = estimate.audioSeconds ?? 0;
    if (estimate.images > 0 && prices.imageMicros === null)
      return refused(deny(DenialReason.ModelPriceMissing, { model }));
    if (audioSeconds > 0 && prices.audioPerMinuteMicros === null)
      return refused(deny(DenialReason.ModelPriceMissing, { model }));
    const amountMicros = heldMicros(
      prices,
      {
        inputTokens: estimate.inputTokens,
        outputTokens: estimate.outputTokens,
        images: estimate.images,
        characters: estimate.characters,
        audioSeconds,
      },
      multiplierBp,
    );
    return ok({ prices, imageSize, multiplierBp, amountMicros });
  }

  price(model: string): Promise<ModelPrice | null> {
    return this.cached(this.prices, model, async () => {
      const rows = await this.db.query<PriceRow[]>(`SELECT ${PRICE_COLUMNS} FROM billing.prices WHERE model = $1`, [
        model,
      ]);
      return rows[0] ? toModelPrice(rows[0]) : null;
    });
  }

  /** Groups without a row pay list price (×1). */
  multiplierBp(group: string): Promise<number> {
    return this.cached(this.multipliers, group, async () => {
      const rows = await this.db.query<Array<{ multiplier_bp: number }>>(
        `SELECT multiplier_bp FROM billing.group_multipliers WHERE group_name = $1`,
        [group],
      );
      return rows[0]?.multiplier_bp ?? NEUTRAL_MULTIPLIER_BP;
    });
  }

  evict(change: PricesChanged): void {
    for (const model of change.models ?? []) this.prices.delete(model);
    for (const group of change.groups ?? []) this.multipliers.delete(group);
  }

  private cached<T>(cache: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value;
    // The promise itself is cached, so concurrent misses share one query.
    const value = load();
    const entry = { value, until: now + this.config.PRICE_CACHE_TTL_MS };
    cache.set(key, entry);
    value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return value;
  }
}
