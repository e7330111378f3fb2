import type { UnitPrices } from './cost.js';

/**
 * A credit grant's token prices as they cross NATS and sit in columns: decimal
 * strings of micro-units (null: the part is at its whole's price). A grant is
 * never quoted for images or audio (docs/design/credit-grants.md, "As built").
 */
export interface DecimalTokenPrices {
  inputPerMillionMicros: string;
  outputPerMillionMicros: string;
  charactersPerMillionMicros: string;
  cachedInputPerMillionMicros: string | null;
  cacheWritePerMillionMicros: string | null;
  reasoningPerMillionMicros: string | null;
}

const decimalOrNull = (micros: bigint | null): string | null => (micros === null ? null : micros.toString());
const microsOrNull = (decimal: string | null): bigint | null => (decimal === null ? null : BigInt(decimal));

/** The token prices of `prices` as decimal strings; throws if it prices images or audio, which a grant never covers. */
export function toDecimalTokenPrices(prices: UnitPrices): DecimalTokenPrices {
  if (prices.imageMicros !== null || prices.audioPerMinuteMicros !== null) {
    throw new RangeError('token prices carry no image or audio price');
  }
  return {
    inputPerMillionMicros: prices.inputPerMillionMicros.toString(),
    outputPerMillionMicros: prices.outputPerMillionMicros.toString(),
    charactersPerMillionMicros: prices.charactersPerMillionMicros.toString(),
    cachedInputPerMillionMicros: decimalOrNull(prices.cachedInputPerMillionMicros),
    cacheWritePerMillionMicros: decimalOrNull(prices.cacheWritePerMillionMicros),
    reasoningPerMillionMicros: decimalOrNull(prices.reasoningPerMillionMicros),
  };
}

/** Back to the prices heldMicros and costMicros take: no image or audio price. */
export function fromDecimalTokenPrices(prices: DecimalTokenPrices): UnitPrices {
  return {
    inputPerMillionMicros: BigInt(prices.inputPerMillionMicros),
    outputPerMillionMicros: BigInt(prices.outputPerMillionMicros),
    charactersPerMillionMicros: BigInt(prices.charactersPerMillionMicros),
    cachedInputPerMillionMicros: microsOrNull(prices.cachedInputPerMillionMicros),
    cacheWritePerMillionMicros: microsOrNull(prices.cacheWritePerMillionMicros),
    reasoningPerMillionMicros: microsOrNull(prices.reasoningPerMillionMicros),
    imageMicros: null,
    audioPerMinuteMicros: null,
  };
}
