import { describe, expect, it } from '@jest/globals';
import { countTokens as bundledO200kCount } from 'gpt-tokenizer';
import { IMAGE_HIGH_DETAIL_TOKENS, IMAGE_LOW_DETAIL_TOKENS } from './input-allowances.js';
import { countPromptInput, countText, InputCount } from './usage-estimate.js';

const promptCount = (input: unknown): InputCount => {
  const count = new InputCount();
  countPromptInput(input, count);
  return count;
};

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

describe(countPromptInput.name, () => {
  it('counts a string, a list of strings, token arrays and text parts', () => {
    const one = countText('Hello there');
    expect(promptCount('Hello there')).toEqual({ counted: one, allowed: 0 });
    expect(promptCount(['Hello there', 'Hello there']).counted).toBe(2 * one);
    expect(promptCount([1, 2, 3]).counted).toBe(3);
    expect(promptCount([[1, 2], [3]]).counted).toBe(3);
    expect(promptCount(undefined)).toEqual({ counted: 0, allowed: 0 });
  });

  it("holds a moderation input's images at the allowance for their detail", () => {
    const input = [
      { type: 'text', text: 'Is this picture fine?' },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
    ];
    const count = promptCount(input);
    expect(count.counted).toBe(countText('Is this picture fine?'));
    expect(count.allowed).toBe(IMAGE_HIGH_DETAIL_TOKENS + IMAGE_LOW_DETAIL_TOKENS);
    expect(count.total).toBe(count.counted + count.allowed);
  });
});
