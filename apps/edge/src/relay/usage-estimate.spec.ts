import { describe, expect, it } from '@jest/globals';
import { countChatTokens, countText } from './usage-estimate.js';

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
