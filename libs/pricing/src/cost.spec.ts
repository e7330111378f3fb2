import { describe, expect, it } from '@jest/globals';
import { costMicros, formatBasisPoints, heldMicros, imagePriceFor, type Quantities, type UnitPrices } from './cost.js';

const none: Quantities = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  images: 0,
  characters: 0,
  audioSeconds: 0,
};
const prices: UnitPrices = {
  inputPerMillionMicros: 2_500_000n, // $2.50 per million input tokens
  outputPerMillionMicros: 10_000_000n, // $10 per million output tokens
  imageMicros: 40_000n, // $0.04 per image
  charactersPerMillionMicros: 15_000_000n, // $15 per million characters
  cachedInputPerMillionMicros: null,
  cacheWritePerMillionMicros: null,
  reasoningPerMillionMicros: null,
  audioPerMinuteMicros: null,
};
/** The same model with a price of its own for each token part. */
const partPrices: UnitPrices = {
  ...prices,
  cachedInputPerMillionMicros: 1_250_000n, // $1.25: half the input price
  cacheWritePerMillionMicros: 3_125_000n, // $3.125: 1.25 × the input price
  reasoningPerMillionMicros: 12_000_000n, // $12
};
/** 1200 in, of which 800 cached and 100 written to the cache; 300 out, of which 120 reasoning. */
const cachedAndReasoning: Quantities = {
  ...none,
  inputTokens: 1200,
  cachedInputTokens: 800,
  cacheWriteTokens: 100,
  outputTokens: 300,
  reasoningTokens: 120,
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
    const all = { ...none, inputTokens: 1, outputTokens: 1, images: 1, characters: 1 };
    // (2.5 + 10 + 40000 + 15) × 0.8 = 32022.0 exactly
    expect(sut(prices, all, 8_000)).toBe(32_022n);
  });

  it('stays exact far beyond the range of a double', () => {
    const huge: UnitPrices = { ...prices, outputPerMillionMicros: 9_000_000_000_000n };
    expect(sut(huge, { ...none, outputTokens: 1_000_001 }, 10_000)).toBe(9_000_009_000_000n);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses a quantity of %p', (tokens) => {
    expect(() => sut(prices, { ...none, inputTokens: tokens }, 10_000)).toThrow(RangeError);
    const whole = { ...none, inputTokens: 10, outputTokens: 10 };
    for (const part of ['cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
      expect(() => sut(partPrices, { ...whole, [part]: tokens }, 10_000)).toThrow(RangeError);
    }
  });

  describe('token parts', () => {
    it('charges each token once, at the price of its kind, to the micro-unit', () => {
      // 300 plain in × 2.5 + 800 cached × 1.25 + 100 written × 3.125 + 180 plain out × 10 + 120 reasoning × 12
      // = 750 + 1000 + 312.5 + 1800 + 1440 = 5302.5 micros, rounded up once: 5303.
      expect(sut(partPrices, cachedAndReasoning, 10_000)).toBe(5_303n);
      // × 0.8 = 4242.0 exactly: the multiplier comes before the one rounding, so the half micro is not charged.
      expect(sut(partPrices, cachedAndReasoning, 8_000)).toBe(4_242n);
    });

    it('charges a part without a price of its own at its whole: cached and cache writes as input, reasoning as output', () => {
      const totalsOnly = { ...none, inputTokens: 1200, outputTokens: 300 };
      // 1200 × 2.5 + 300 × 10 = 6000, however the tokens are split.
      expect(sut(prices, cachedAndReasoning, 10_000)).toBe(6_000n);
      expect(sut(prices, totalsOnly, 10_000)).toBe(6_000n);
      const onlyReasoningPriced: UnitPrices = { ...prices, reasoningPerMillionMicros: 12_000_000n };
      // 1200 × 2.5 + 180 × 10 + 120 × 12 = 3000 + 1800 + 1440.
      expect(sut(onlyReasoningPriced, cachedAndReasoning, 10_000)).toBe(6_240n);
    });

    it('tells a price of 0 from no price: free cache reads cost nothing', () => {
      const freeReads: UnitPrices = { ...prices, cachedInputPerMillionMicros: 0n };
      // Only the 400 uncached input tokens (100 of them cache writes, at the input price) and the output are charged.
      expect(sut(freeReads, cachedAndReasoning, 10_000)).toBe(1_000n + 3_000n);
      expect(sut(freeReads, { ...none, inputTokens: 5, cachedInputTokens: 5 }, 10_000)).toBe(0n);
    });

    it('rounds the parts together, not one by one', () => {
      const thirds: UnitPrices = {
        ...prices,
        inputPerMillionMicros: 333_334n,
        cachedInputPerMillionMicros: 333_333n,
        cacheWritePerMillionMicros: 333_333n,
      };
      // 0.333334 + 0.333333 + 0.333333 = 1 micro exactly; rounded per kind it would be 3.
      expect(sut(thirds, { ...none, inputTokens: 3, cachedInputTokens: 1, cacheWriteTokens: 1 }, 10_000)).toBe(1n);
      // One cached token at 1.25 micros: 2, never 1.
      expect(sut(partPrices, { ...none, inputTokens: 1, cachedInputTokens: 1 }, 10_000)).toBe(2n);
      // One reasoning token at $12 per million: 12 micros exactly, nothing to round.
      expect(sut(partPrices, { ...none, outputTokens: 1, reasoningTokens: 1 }, 10_000)).toBe(12n);
    });

    it('refuses parts that add up to more than their whole, rather than charging something else', () => {
      expect(() => sut(partPrices, { ...cachedAndReasoning, cacheWriteTokens: 401 }, 10_000)).toThrow(
        'cached and cache-write tokens exceed the input tokens',
      );
      expect(() => sut(partPrices, { ...cachedAndReasoning, reasoningTokens: 301 }, 10_000)).toThrow(
        'reasoning tokens exceed the output tokens',
      );
      // Exactly the whole is fine: every input token cached, every output token reasoning.
      const allParts = { ...none, inputTokens: 10, cachedInputTokens: 10, outputTokens: 10, reasoningTokens: 10 };
      // 10 cached × 1.25 + 10 reasoning × 12 = 132.5 → 133.
      expect(sut(partPrices, allParts, 10_000)).toBe(133n);
    });
  });

  it('refuses a fractional multiplier', () => {
    expect(() => sut(prices, none, 0.5)).toThrow(RangeError);
  });
});

describe(heldMicros.name, () => {
  const estimate = { inputTokens: 1000, outputTokens: 100, images: 0, characters: 0, audioSeconds: 0 };

  it('holds each input token at the dearest input rate and each output token at the dearer output rate', () => {
    // The cache-write price (3.125) is the dearest for input, reasoning (12) for output: 3125 + 1200.
    expect(heldMicros(partPrices, estimate, 10_000)).toBe(4_325n);
    expect(heldMicros(partPrices, estimate, 8_000)).toBe(3_460n);
  });

  it('holds what costMicros charges when no part is dearer than its whole', () => {
    const cheaperParts: UnitPrices = {
      ...prices,
      cachedInputPerMillionMicros: 1_250_000n,
      cacheWritePerMillionMicros: 2_500_000n,
      reasoningPerMillionMicros: 0n,
    };
    const charged = costMicros(prices, { ...none, ...estimate }, 10_000);
    expect(charged).toBe(3_500n);
    expect(heldMicros(prices, estimate, 10_000)).toBe(charged);
    expect(heldMicros(cheaperParts, estimate, 10_000)).toBe(charged);
  });
});

describe(`${costMicros.name} by audio duration`, () => {
  /** whisper-1: $0.006 a minute, nothing per token. */
  const whisper: UnitPrices = {
    ...prices,
    inputPerMillionMicros: 0n,
    outputPerMillionMicros: 0n,
    audioPerMinuteMicros: 6_000n,
  };

  it('charges a second as a sixtieth of the per-minute price', () => {
    expect(costMicros(whisper, { ...none, audioSeconds: 60 }, 10_000)).toBe(6_000n);
    expect(costMicros(whisper, { ...none, audioSeconds: 3 }, 10_000)).toBe(300n);
  });

  it('rounds the whole sum up once, audio and tokens together', () => {
    // 7 s at 6000/60 = 700 exactly; 1 input token at $2.50/M = 2.5: 702.5 → 703, not 700 + 3.
    const both: UnitPrices = { ...prices, audioPerMinuteMicros: 6_000n };
    expect(costMicros(both, { ...none, audioSeconds: 7, inputTokens: 1 }, 10_000)).toBe(703n);
    // 1 s at a price of 1 micro a minute is 1/60 of a micro: charged 1.
    expect(costMicros({ ...whisper, audioPerMinuteMicros: 1n }, { ...none, audioSeconds: 1 }, 10_000)).toBe(1n);
  });

  it('applies the group multiplier to the audio', () => {
    expect(costMicros(whisper, { ...none, audioSeconds: 60 }, 8_000)).toBe(4_800n);
  });

  it('refuses seconds of audio for a model with no per-minute price', () => {
    expect(() => costMicros(prices, { ...none, audioSeconds: 1 }, 10_000)).toThrow(RangeError);
  });

  it('holds the seconds at the per-minute price', () => {
    const estimate = { inputTokens: 0, outputTokens: 0, images: 0, characters: 0, audioSeconds: 90 };
    expect(heldMicros(whisper, estimate, 10_000)).toBe(9_000n);
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
