/** Unit prices in micro-units, as stored for a model (per image: already resolved for one size). */
export interface UnitPrices {
  inputPerMillionMicros: bigint;
  outputPerMillionMicros: bigint;
  /** Per image at the request's size; null = this model has no price for that size. */
  imageMicros: bigint | null;
  charactersPerMillionMicros: bigint;
}

/** What a request consumed (or is estimated to consume). Non-negative integers. */
export interface Quantities {
  inputTokens: number;
  outputTokens: number;
  images: number;
  characters: number;
}

/** Group multipliers are exact ratios in basis points: 10000 = ×1, 8000 = ×0.8. */
export const BASIS_POINTS = 10_000n;
export const NEUTRAL_MULTIPLIER_BP = 10_000;

const PER_MILLION = 1_000_000n;

/**
 * The cost of `quantities` at `prices`, scaled by a group multiplier, in
 * micro-units.
 *
 * Rounding: everything is summed as one exact fraction and rounded UP to the
 * micro-unit once, at the very end:
 *
 *   cost = ⌈ (in·P_in + out·P_out + chars·P_chars + images·P_image·10⁶) · bp / (10⁶ · 10⁴) ⌉
 *
 * so the result never depends on the order of the terms, a request is never
 * charged less than its exact price, and never more than 1 micro above it.
 * A quantity of images with no image price is a caller error (the caller
 * must refuse the request first): it throws rather than charging 0.
 */
export function costMicros(prices: UnitPrices, quantities: Quantities, multiplierBp: number): bigint {
  if (!Number.isSafeInteger(multiplierBp) || multiplierBp < 0)
    throw new RangeError('multiplier must be whole basis points');
  const images = count(quantities.images, 'images');
  if (images > 0n && prices.imageMicros === null) throw new RangeError('images have no price for this size');
  const perMillionTerms =
    count(quantities.inputTokens, 'inputTokens') * prices.inputPerMillionMicros +
    count(quantities.outputTokens, 'outputTokens') * prices.outputPerMillionMicros +
    count(quantities.characters, 'characters') * prices.charactersPerMillionMicros +
    images * (prices.imageMicros ?? 0n) * PER_MILLION;
  return ceilDiv(perMillionTerms * BigInt(multiplierBp), PER_MILLION * BASIS_POINTS);
}

/** The per-image price for `size` from a model's size table, falling back to its `*` entry. */
export function imagePriceFor(table: Readonly<Record<string, bigint>>, size: string | null): bigint | null {
  const own = size === null ? undefined : table[normaliseImageSize(size)];
  return own ?? table['*'] ?? null;
}

/** Sizes are compared case-insensitively ("1024X1024" is "1024x1024"). */
export const normaliseImageSize = (size: string): string => size.trim().toLowerCase();

/** Basis points as a decimal for display: 8000 → "0.8000". */
export function formatBasisPoints(bp: number): string {
  const value = BigInt(bp);
  return `${value / BASIS_POINTS}.${(value % BASIS_POINTS).toString().padStart(4, '0')}`;
}

function count(value: number, name: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return BigInt(value);
}

/** ⌈a / b⌉ for a ≥ 0, b > 0, in exact integer arithmetic. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
