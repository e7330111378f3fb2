import { describe, expect, it } from '@jest/globals';
import { chargedUsage } from './charged-usage.js';

const totals = { inputTokens: 100, outputTokens: 20, images: 0, characters: 0 };

describe(chargedUsage.name, () => {
  it('keeps parts that fit their whole as the upstream reported them', () => {
    const usage = { ...totals, cachedInputTokens: 60, cacheWriteTokens: 40, reasoningTokens: 20, audioSeconds: 7 };

    expect(chargedUsage(usage)).toEqual({ usage, corrections: [] });
  });

  it('reads a part an older edge did not send as 0', () => {
    expect(chargedUsage(totals)).toEqual({
      usage: { ...totals, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, audioSeconds: 0 },
      corrections: [],
    });
  });

  it('clamps parts to their whole, cached tokens first, and never changes the totals', () => {
    expect(chargedUsage({ ...totals, cachedInputTokens: 90, cacheWriteTokens: 30, reasoningTokens: 50 })).toEqual({
      usage: { ...totals, cachedInputTokens: 90, cacheWriteTokens: 10, reasoningTokens: 20, audioSeconds: 0 },
      corrections: [
        '90 cached + 30 cache-write tokens exceed 100 input tokens: charged as 90 + 10',
        '50 reasoning tokens exceed 20 output tokens: charged as 20',
      ],
    });
    expect(chargedUsage({ ...totals, inputTokens: 0, cachedInputTokens: 5, cacheWriteTokens: 5 }).usage).toMatchObject({
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });
});
