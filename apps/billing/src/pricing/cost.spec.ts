import { describe, expect, it } from '@jest/globals';
import { costMicros, formatBasisPoints, imagePriceFor, type Quantities, type UnitPrices } from './cost.js';

const none: Quantities = { inputTokens: 0, outputTokens: 0, images: 0, characters: 0 };
const prices: UnitPrices = {
  inputPerMillionMicros: 2_500_000n, // $2.50 per million input tokens
  outputPerMillionMicros: 10_000_000n, // $10 per million output tokens
  imageMicros: 40_000n, // $0.04 per image
  charactersPerMillionMicros: 15_000_000n, // $15 per million characters
};

describe(costMicros.name, () => {
  const sut = costMicros;

  it('charges tokens exactly when they divide evenly', () => {
    expect(sut(prices, { ...none, inputTokens: 1_000_000 }, 10_000)).toBe(2_500_000n);
    expect(sut(prices, { ...none, inputTokens: 1000, outputTokens: 500 }, 10_000)).toBe(2_500n + 5_000n);
  });

  it('rounds the total up to the next micro-unit, once', () => {
    // 1 token × 2.5 micros/1000... = 2.5 micros → 3
    expect(sut(prices, { ...none, inputTokens: 1 }, 10_000)).toBe(3n);
    // 3 × 0.3333… micros summed before rounding: 1 micro exactly, not 3 × ⌈0.33⌉ = 3.
    const third: UnitPrices = { ...prices, inputPerMillionMicros: 333_334n, outputPerMillionMicros: 333_333n };
    expect(sut(third, { ...none, inputTokens: 1, outputTokens: 2 }, 10_000)).toBe(1n);
  });

  it('is never below the exact price and never a whole micro above it', () => {
    for (const inputTokens of [1, 7, 999, 123_457, 9_999_999]) {
      const cost = sut(prices, { ...none, inputTokens }, 10_000);
      const exactTimesMillion = BigInt(inputTokens) * prices.inputPerMillionMicros;
      expect(cost * 1_000_000n >= exactTimesMillion).toBe(true);
      expect((cost - 1n) * 1_000_000n < exactTimesMillion).toBe(true);
    }
  });

  it('charges nothing for nothing', () => {
    expect(sut(prices, none, 10_000)).toBe(0n);
  });

  it('applies a group multiplier as an exact ratio', () => {
    expect(sut(prices, { ...none, outputTokens: 1_000_000 }, 8_000)).toBe(8_000_000n);
    expect(sut(prices, { ...none, outputTokens: 1_000_000 }, 12_345)).toBe(12_345_000n);
    expect(sut(prices, { ...none, outputTokens: 1_000_000 }, 0)).toBe(0n);
    // 3 micros × 0.8 = 2.4 → 3: the multiplier is applied before the one rounding.
    expect(sut({ ...prices, imageMicros: 3n }, { ...none, images: 1 }, 8_000)).toBe(3n);
  });

  it('charges images per image at the resolved size', () => {
    expect(sut(prices, { ...none, images: 3 }, 10_000)).toBe(120_000n);
    expect(sut(prices, { ...none, images: 3 }, 8_000)).toBe(96_000n);
  });

  it('refuses to price images that have no price, rather than charging 0', () => {
    expect(() => sut({ ...prices, imageMicros: null }, { ...none, images: 1 }, 10_000)).toThrow(RangeError);
    expect(sut({ ...prices, imageMicros: null }, { ...none, inputTokens: 10 }, 10_000)).toBe(25n);
  });

  it('charges speech input per million characters', () => {
    expect(sut(prices, { ...none, characters: 4_096 }, 10_000)).toBe(61_440n);
    expect(sut(prices, { ...none, characters: 1 }, 10_000)).toBe(15n);
  });

  it('adds every kind of usage before rounding', () => {
    const all = { inputTokens: 1, outputTokens: 1, images: 1, characters: 1 };
    // (2.5 + 10 + 40000 + 15) × 0.8 = 32022.0 exactly
    expect(sut(prices, all, 8_000)).toBe(32_022n);
  });

  it('stays exact far beyond the range of a double', () => {
    const huge: UnitPrices = { ...prices, outputPerMillionMicros: 9_000_000_000_000n };
    expect(sut(huge, { ...none, outputTokens: 1_000_001 }, 10_000)).toBe(9_000_009_000_000n);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses a quantity of %p', (tokens) => {
    expect(() => sut(prices, { ...none, inputTokens: tokens }, 10_000)).toThrow(RangeError);
  });

  it('refuses a fractional multiplier', () => {
    expect(() => sut(prices, none, 0.5)).toThrow(RangeError);
  });
});

describe(imagePriceFor.name, () => {
  const table = { '1024x1024': 40_000n, '1792x1024': 80_000n, '*': 50_000n };

  it('uses the size, case-insensitively', () => {
    expect(imagePriceFor(table, '1792x1024')).toBe(80_000n);
    expect(imagePriceFor(table, '1024X1024')).toBe(40_000n);
  });

  it('falls back to the * entry for other sizes and for no size', () => {
    expect(imagePriceFor(table, '256x256')).toBe(50_000n);
    expect(imagePriceFor(table, null)).toBe(50_000n);
  });

  it('has no price for an unlisted size without a * entry', () => {
    expect(imagePriceFor({ '1024x1024': 40_000n }, '256x256')).toBeNull();
    expect(imagePriceFor({}, null)).toBeNull();
  });
});

describe(formatBasisPoints.name, () => {
  it.each([
    [8_000, '0.8000'],
    [10_000, '1.0000'],
    [12_345, '1.2345'],
    [1, '0.0001'],
    [0, '0.0000'],
  ])('shows %p bp as %p', (bp, shown) => {
    expect(formatBasisPoints(bp)).toBe(shown);
  });
});
