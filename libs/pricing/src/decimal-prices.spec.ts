import { describe, expect, it } from '@jest/globals';
import type { UnitPrices } from './cost.js';
import { fromDecimalTokenPrices, toDecimalTokenPrices } from './decimal-prices.js';

const PRICES: UnitPrices = {
  inputPerMillionMicros: 2_500_000n,
  outputPerMillionMicros: 10_000_000n,
  charactersPerMillionMicros: 0n,
  cachedInputPerMillionMicros: 1_250_000n,
  cacheWritePerMillionMicros: null,
  reasoningPerMillionMicros: null,
  imageMicros: null,
  audioPerMinuteMicros: null,
};

describe(toDecimalTokenPrices.name, () => {
  it('writes token prices as decimal micro strings, keeping null parts null, and reads them back exactly', () => {
    const decimal = toDecimalTokenPrices(PRICES);
    expect(decimal).toEqual({
      inputPerMillionMicros: '2500000',
      outputPerMillionMicros: '10000000',
      charactersPerMillionMicros: '0',
      cachedInputPerMillionMicros: '1250000',
      cacheWritePerMillionMicros: null,
      reasoningPerMillionMicros: null,
    });
    expect(fromDecimalTokenPrices(decimal)).toEqual(PRICES);
  });

  it('refuses prices with an image or audio price, which a grant never carries', () => {
    expect(() => toDecimalTokenPrices({ ...PRICES, imageMicros: 40_000n })).toThrow(RangeError);
    expect(() => toDecimalTokenPrices({ ...PRICES, audioPerMinuteMicros: 6_000n })).toThrow(RangeError);
  });
});
