import type { PriceView } from '@tollgate/contracts';

/** A model's prices as the hot path uses them: exact bigint micro-units. */
export interface ModelPrice {
  model: string;
  inputPerMillionMicros: bigint;
  outputPerMillionMicros: bigint;
  /** Per image, by normalised size; `*` = any other size. */
  imagePriceMicros: Record<string, bigint>;
  charactersPerMillionMicros: bigint;
  /** null = at the input price. */
  cachedInputPerMillionMicros: bigint | null;
  /** null = at the input price. */
  cacheWritePerMillionMicros: bigint | null;
  /** null = at the output price. */
  reasoningPerMillionMicros: bigint | null;
  /** null = not priced by audio duration. */
  audioPerMinuteMicros: bigint | null;
}

/** A row of billing.prices as pg returns it (bigint as string; jsonb values are micro strings). */
export interface PriceRow {
  model: string;
  input_per_million_micros: string;
  output_per_million_micros: string;
  image_price_micros: Record<string, string>;
  characters_per_million_micros: string;
  cached_input_per_million_micros: string | null;
  cache_write_per_million_micros: string | null;
  reasoning_per_million_micros: string | null;
  audio_per_minute_micros: string | null;
  updated_at: Date;
}

export const PRICE_COLUMNS =
  'model, input_per_million_micros, output_per_million_micros, image_price_micros, characters_per_million_micros, ' +
  'cached_input_per_million_micros, cache_write_per_million_micros, reasoning_per_million_micros, ' +
  'audio_per_minute_micros, updated_at';

const microsOrNull = (value: string | null): bigint | null => (value === null ? null : BigInt(value));

export function toModelPrice(row: PriceRow): ModelPrice {
  return {
    model: row.model,
    inputPerMillionMicros: BigInt(row.input_per_million_micros),
    outputPerMillionMicros: BigInt(row.output_per_million_micros),
    imagePriceMicros: Object.fromEntries(
      Object.entries(row.image_price_micros).map(([size, micros]) => [size, BigInt(micros)]),
    ),
    charactersPerMillionMicros: BigInt(row.characters_per_million_micros),
    cachedInputPerMillionMicros: microsOrNull(row.cached_input_per_million_micros),
    cacheWritePerMillionMicros: microsOrNull(row.cache_write_per_million_micros),
    reasoningPerMillionMicros: microsOrNull(row.reasoning_per_million_micros),
    audioPerMinuteMicros: microsOrNull(row.audio_per_minute_micros),
  };
}

export function toPriceView(row: PriceRow): PriceView {
  return {
    model: row.model,
    inputPerMillionMicros: row.input_per_million_micros,
    outputPerMillionMicros: row.output_per_million_micros,
    imagePriceMicros: { ...row.image_price_micros },
    charactersPerMillionMicros: row.characters_per_million_micros,
    cachedInputPerMillionMicros: row.cached_input_per_million_micros,
    cacheWritePerMillionMicros: row.cache_write_per_million_micros,
    reasoningPerMillionMicros: row.reasoning_per_million_micros,
    audioPerMinuteMicros: row.audio_per_minute_micros,
    updatedAt: row.updated_at.toISOString(),
  };
}
