import { describe, expect, it } from '@jest/globals';
import { countTokens as bundledO200kCount } from 'gpt-tokenizer';
import { countChatTokens, countInputTokens, countText } from './usage-estimate.js';

describe(countChatTokens.name, () => {
  it('counts message text with the tokenizer plus the chat format overhead', () => {
    const hello = countText('Hello there');
    expect(hello).toBeGreaterThan(0);
    expect(countChatTokens([{ role: 'user', content: 'Hello there' }])).toBe(3 + 4 + hello);
  });

  it('counts text parts of multi-part content', () => {
    const parts = [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }, { type: 'image_url' }] }];
    expect(countChatTokens(parts)).toBe(countChatTokens([{ role: 'user', content: 'Hello there' }]));
  });

  it('is zero for a body without messages', () => {
    expect(countChatTokens(undefined)).toBe(0);
  });
});

describe(countText.name, () => {
  it("counts exactly as gpt-tokenizer's bundled o200k_base encoding", () => {
    const samples = [
      'Hello there',
      'ça va? Grüße aus Köln — 你好，世界！ こんにちは 안녕하세요 مرحبا',
      'emoji 🙂🚀 and combining e\u0301 marks',
      'function add(a, b) {\n  return a + b;\n}\n\n\t// tabs, "quotes" and \\ escapes',
      '   leading spaces, trailing spaces   ',
      'x'.repeat(5000),
      'Zalgo: Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
    ];
    for (const sample of samples) {
      expect(countText(sample)).toBe(bundledO200kCount(sample, { disallowedSpecial: new Set() }));
    }
  });

  it('counts special-token markup in user text as plain text instead of throwing', () => {
    expect(countText('say <|endoftext|> please')).toBeGreaterThan(3);
  });
});

describe(countInputTokens.name, () => {
  it('counts a string, a list of strings, token arrays and text parts', () => {
    const one = countText('Hello there');
    expect(countInputTokens('Hello there')).toBe(one);
    expect(countInputTokens(['Hello there', 'Hello there'])).toBe(2 * one);
    expect(countInputTokens([1, 2, 3])).toBe(3);
    expect(countInputTokens([[1, 2], [3]])).toBe(3);
    expect(countInputTokens([{ type: 'text', text: 'Hello there' }, { type: 'image_url' }])).toBe(one);
    expect(countInputTokens(undefined)).toBe(0);
  });
});
