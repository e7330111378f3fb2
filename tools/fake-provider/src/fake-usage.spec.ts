import { describe, expect, it } from '@jest/globals';
import { fakeAnswer } from './fake-answer.js';
import { fakeAnswerLength, fakePromptTokens, fakeUsage, promptCharacters } from './fake-usage.js';

describe('fake usage', () => {
  it('counts the characters of chat message contents, text parts included', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'system', content: 'abcd' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'efgh' },
            { type: 'image_url', image_url: { url: 'x'.repeat(99) } },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call', function: { arguments: '{"long": true}' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'ignored' } }],
    };
    expect(promptCharacters(body)).toBe(8);
    expect(fakePromptTokens(body)).toBe(2);
  });

  it('is ceil(characters / 4), at least 1', () => {
    expect(fakePromptTokens({ messages: [{ content: 'abcde' }] })).toBe(2);
    expect(fakePromptTokens({ messages: [] })).toBe(1);
    expect(fakePromptTokens(undefined)).toBe(1);
  });

  it('counts prompt / input strings and token ids', () => {
    expect(fakePromptTokens({ prompt: ['abcd', 'efgh', 'ij'] })).toBe(3);
    expect(fakePromptTokens({ prompt: [1, 2, 3, 4, 5] })).toBe(5);
    expect(fakePromptTokens({ input: [[1, 2], [3]] })).toBe(3);
    expect(fakePromptTokens({ input: 'a'.repeat(40) })).toBe(10);
  });

  it('scales the prompt tokens by inputTokenFactor, rounded, at least 1', () => {
    const body = { messages: [{ content: 'a'.repeat(400) }] };
    expect(fakePromptTokens(body, 1.4)).toBe(140);
    expect(fakeUsage(body, { inputTokenFactor: 1.4 })).toEqual({
      prompt_tokens: 140,
      completion_tokens: 5,
      total_tokens: 145,
    });
    expect(fakePromptTokens({ input: 'a'.repeat(40) }, 0.75)).toBe(8);
    expect(fakePromptTokens({ input: 'abcd' }, 0.1)).toBe(1);
  });

  it('uses chunks (default 5) for completion tokens, capped by max tokens, unless completionTokens is forced', () => {
    const body = { messages: [{ content: 'abcd' }] };
    expect(fakeUsage(body)).toEqual({ prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 });
    expect(fakeUsage(body, { chunks: 12 })).toEqual({ prompt_tokens: 1, completion_tokens: 12, total_tokens: 13 });
    expect(fakeUsage({ ...body, max_tokens: 3 }, { chunks: 12 }).completion_tokens).toBe(3);
    expect(fakeUsage({ ...body, max_tokens: 3, max_completion_tokens: 4 }, { chunks: 12 }).completion_tokens).toBe(4);
    expect(fakeUsage(body, { chunks: 12, completionTokens: 40 }).completion_tokens).toBe(40);
    expect(fakeAnswerLength({ max_tokens: 9 }, 5)).toEqual({ words: 5, truncated: false });
    expect(fakeAnswerLength({ max_tokens: 2 }, 5)).toEqual({ words: 2, truncated: true });
  });

  it('builds answers from repeated words whose pieces join to the text', () => {
    expect(fakeAnswer(5).text).toBe('This is a fake answer.');
    expect(fakeAnswer(6).pieces).toEqual(['This', ' is', ' a', ' fake', ' answer.', ' This']);
    expect(fakeAnswer(0)).toEqual({ pieces: [], text: '' });
    expect(fakeAnswer(50).pieces.join('')).toBe(fakeAnswer(50).text);
  });
});
