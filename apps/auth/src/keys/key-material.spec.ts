import { describe, expect, it } from '@jest/globals';
import { generateKey, hashKey, isWellFormedKey, keyDisplay, parsePresentedKey } from './key-material.js';

describe(generateKey.name, () => {
  it('makes sk- plus 48 base62 characters', () => {
    const key = generateKey();
    expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    expect(isWellFormedKey(key)).toBe(true);
  });

  it('uses every base62 character and never repeats a key', () => {
    const keys = Array.from({ length: 500 }, generateKey);
    expect(new Set(keys).size).toBe(500);
    const seen = new Set(keys.join('').replaceAll('sk-', ''));
    expect(seen.size).toBe(62);
  });
});

describe(parsePresentedKey.name, () => {
  const key = `sk-${'a'.repeat(48)}`;

  it('takes a plain key as is', () => {
    expect(parsePresentedKey(key)).toEqual({ key, pinnedChannel: null });
  });

  it('splits the sk-<key>-<channelId> pin convention', () => {
    expect(parsePresentedKey(`${key}-12`)).toEqual({ key, pinnedChannel: '12' });
  });

  it('keeps a malformed pin for the router to refuse', () => {
    expect(parsePresentedKey(`${key}-abc-1`)).toEqual({ key, pinnedChannel: 'abc-1' });
  });
});

describe(hashKey.name, () => {
  it('is SHA-256 hex and does not contain the key', () => {
    const key = generateKey();
    const hash = hashKey(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(3));
  });
});

describe(keyDisplay.name, () => {
  it('shows a prefix and the last 6 characters only', () => {
    expect(keyDisplay(`sk-ABCD${'x'.repeat(38)}123456`)).toEqual({ prefix: 'sk-ABCD', last6: '123456' });
  });
});
