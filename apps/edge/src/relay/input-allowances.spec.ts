import { describe, expect, it } from '@jest/globals';
import { audioTokens, IMAGE_HIGH_DETAIL_TOKENS, IMAGE_LOW_DETAIL_TOKENS, imageTokens } from './input-allowances.js';

describe(imageTokens.name, () => {
  it("holds OpenAI's published cost: 85 for low detail, the largest high-detail image (8 tiles) otherwise", () => {
    expect(IMAGE_LOW_DETAIL_TOKENS).toBe(85);
    // A 768×2048 image after scaling: 2 × 4 tiles of 512 px.
    expect(IMAGE_HIGH_DETAIL_TOKENS).toBe(85 + 170 * 8);
    expect(imageTokens('low')).toBe(85);
    expect(imageTokens('high')).toBe(1445);
    expect(imageTokens('auto')).toBe(1445);
    expect(imageTokens(undefined)).toBe(1445);
    expect(imageTokens('original')).toBe(1445);
  });
});

describe(audioTokens.name, () => {
  const base64OfBytes = (bytes: number) => Buffer.alloc(bytes).toString('base64');

  it('holds 10 tokens a second for the longest the bytes can last at their format’s lowest rate', () => {
    // 10 s of 8 kHz 16-bit mono WAV; 10 s of 32 kbit/s MP3.
    expect(audioTokens(base64OfBytes(160_000), 'wav')).toBe(100);
    expect(audioTokens(base64OfBytes(40_000), 'mp3')).toBe(100);
    expect(audioTokens(base64OfBytes(40_000), 'flac')).toBe(100);
    expect(audioTokens(base64OfBytes(1), 'wav')).toBe(1);
  });

  it('holds nothing for audio without data', () => {
    expect(audioTokens(undefined, 'wav')).toBe(0);
    expect(audioTokens('', 'mp3')).toBe(0);
  });
});
