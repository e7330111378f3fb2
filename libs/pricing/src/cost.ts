/** Unit prices in micro-units, as stored for a model (per image: already resolved for one size). */
export interface UnitPrices {
  inputPerMillionMicros: bigint;
  outputPerMillionMicros: bigint;
  /** Input tokens read from the prompt cache; null = at the input price. */
  cachedInputPerMillionMicros: bigint | null;
  /** Input tokens written to the prompt cache; null = at the input price. */
  cacheWritePerMillionMicros: bigint | null;
  /** Output tokens spent reasoning; null = at the output price. */
  reasoningPerMillionMicros: bigint | null;
  /** Per image at the request's size; null = this model has no price for that size. */
  imageMicros: bigint | null;
  charactersPerMillionMicros: bigint;
  /** Per minute of audio; null = this model is not priced by duration. */
  audioPerMinuteMicros: bigint | null;
}

/**
 * What a request consumed (or is estimated to consume). Non-negative
 * integers. `inputTokens` is all input, of which `cachedInputTokens` and
 * `cacheWriteTokens` are parts; `outputTokens` is all output, of which
 * `reasoningTokens` is a part (the Usage contract).
 */
export interface Quantities {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  images: number;
  characters: number;
  /** Whole seconds of audio, priced per minute. */
  audioSeconds: number;
}

/** Group multipliers are exact ratios in basis points: 10000 = ×1, 8000 = ×0.8. */
export const BASIS_POINTS = 10_000n;
export const NEUTRAL_MULTIPLIER_BP = 10_000;

const PER_MILLION = 1_000_000n;
const SECONDS_PER_MINUTE = 60n;

/**
 * The cost of `quantities` at `prices`, scaled by a group multiplier, in
 * micro-units.
 *
 * Each token is charged once, at the price of its kind: the plain input
 * tokens are those that are neither cached nor cache writes, the plain
 * output tokens those that are not reasoning. A part's null price is its
 * whole's (P_cached, P_write ← P_in; P_reason ← P_out).
 *
 * Rounding: everything is summed as one exact fraction and rounded UP to the
 * micro-unit once, at the very end:
 *
 *   cost = ⌈ (60·((in − cached − write)·P_in + cached·P_cached + write·P_write
 *                + (out − reason)·P_out + reason·P_reason
 *                + chars·P_chars + images·P_image·10⁶)
 *            + seconds·P_minute·10⁶) · bp / (60 · 10⁶ · 10⁴) ⌉
 *
 * so the result never depends on the order of the terms, a request is never
 * charged less than its exact price, and never more than 1 micro above it:
 * a request of many kinds is not rounded once per kind. Rounding up, not to
 * the nearest, keeps the first promise: nothing is sold below its list
 * price, and what is paid above it is less than the one micro-unit whose
 * fraction cannot be charged.
 *
 * A quantity of images with no image price, audio seconds with no
 * per-minute price, or parts that add up to more
 * than their whole, is a caller error (the caller must refuse or correct the
 * usage first): it throws rather than charging something else.
 */
export function costMicros(prices: UnitPrices, quantities: Quantities, multiplierBp: number): bigint {
  if (!Number.isSafeInteger(multiplierBp) || multiplierBp < 0)
    throw new RangeError('multiplier must be whole basis points');
  const images = count(quantities.images, 'images');
  if (images > 0n && prices.imageMicros === null) throw new RangeError('images have no price for this size');
  const audioSeconds = count(quantities.audioSeconds, 'audioSeconds');
  if (audioSeconds > 0n && prices.audioPerMinuteMicros === null) throw new RangeError('audio has no per-minute price');
  const input = count(quantities.inputTokens, 'inputTokens');
  const cached = count(quantities.cachedInputTokens, 'cachedInputTokens');
  const cacheWrite = count(quantities.cacheWriteTokens, 'cacheWriteTokens');
  const output = count(quantities.outputTokens, 'outputTokens');
  const reasoning = count(quantities.reasoningTokens, 'reasoningTokens');
  if (cached + cacheWrite > input) throw new RangeError('cached and cache-write tokens exceed the input tokens');
  if (reasoning > output) throw new RangeError('reasoning tokens exceed the output tokens');
  const perMillionTerms =
    (input - cached - cacheWrite) * prices.inputPerMillionMicros +
    cached * (prices.cachedInputPerMillionMicros ?? prices.inputPerMillionMicros) +
    cacheWrite * (prices.cacheWritePerMillionMicros ?? prices.inputPerMillionMicros) +
    (output - reasoning) * prices.outputPerMillionMicros +
    reasoning * (prices.reasoningPerMillionMicros ?? prices.outputPerMillionMicros) +
    count(quantities.characters, 'characters') * prices.charactersPerMillionMicros +
    images * (prices.imageMicros ?? 0n) * PER_MILLION;
  // A second is a sixtieth of the per-minute price: the whole sum is taken in sixtieths, still one fraction.
  const sixtieths =
    perMillionTerms * SECONDS_PER_MINUTE + audioSeconds * (prices.audioPerMinuteMicros ?? 0n) * PER_MILLION;
  return ceilDiv(sixtieths * BigInt(multiplierBp), SECONDS_PER_MINUTE * PER_MILLION * BASIS_POINTS);
}

/**
 * The most a request of `estimate` can cost: its input tokens at the
 * dearest of the input, cached-input and cache-write prices, its output
 * tokens at the dearer of the output and reasoning prices. What part of
 * them the upstream will cache, or spend reasoning, is not known before the
 * call; a hold priced this way covers the request however it turns out
 * (the output estimate being an upper bound already).
 */
export function heldMicros(prices: UnitPrices, estimate: EstimatedQuantities, multiplierBp: number): bigint {
  // Written out field by field: Node 20's V8 takes about a microsecond per
  // object spread into a literal that goes on with more properties (or
  // overrides), and this runs for every reserve.
  const dearest: UnitPrices = {
    imageMicros: prices.imageMicros,
    charactersPerMillionMicros: prices.charactersPerMillionMicros,
    audioPerMinuteMicros: prices.audioPerMinuteMicros,
    inputPerMillionMicros: max(
      prices.inputPerMillionMicros,
      prices.cachedInputPerMillionMicros,
      prices.cacheWritePerMillionMicros,
    ),
    outputPerMillionMicros: max(prices.outputPerMillionMicros, prices.reasoningPerMillionMicros),
    cachedInputPerMillionMicros: null,
    cacheWritePerMillionMicros: null,
    reasoningPerMillionMicros: null,
  };
  return costMicros(
    dearest,
    {
      inputTokens: estimate.inputTokens,
      outputTokens: estimate.outputTokens,
      images: estimate.images,
      characters: estimate.characters,
      audioSeconds: estimate.audioSeconds,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    multiplierBp,
  );
}

/** An estimate does not split tokens into their parts. */
export type EstimatedQuantities = Omit<Quantities, 'cachedInputTokens' | 'cacheWriteTokens' | 'reasoningTokens'>;

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

/** The largest of the prices given; a null one (a part at its whole's price) adds nothing. */
function max(first: bigint, ...others: Array<bigint | null>): bigint {
  return others.reduce<bigint>((largest, price) => (price !== null && price > largest ? price : largest), first);
}

/** ⌈a / b⌉ for a ≥ 0, b > 0, in exact integer arithmetic. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
