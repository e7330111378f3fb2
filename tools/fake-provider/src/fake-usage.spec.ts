import { describe, expect, it } from '@jest/globals';
import { fakeAnswer } from './fake-answer.js';
import { fakeAnswerLength, fakePromptTokens, fakeTokenCounts, fakeUsage, promptCharacters } from './fake-usage.js';

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

  it('scales the prompt tokens by inputTokenFactor, rounded up, at least 1', () => {
    const body = { messages: [{ content: 'a'.repeat(400) }] };
    expect(fakePromptTokens(body, { inputTokenFactor: 1.4 })).toBe(140);
    expect(fakeUsage(body, { inputTokenFactor: 1.4 })).toEqual({
      prompt_tokens: 140,
      completion_tokens: 5,
      total_tokens: 145,
    });
    expect(fakePromptTokens({ input: 'a'.repeat(40) }, { inputTokenFactor: 0.75 })).toBe(8);
    expect(fakePromptTokens({ input: 'a'.repeat(44) }, { inputTokenFactor: 0.5 })).toBe(6);
    expect(fakePromptTokens({ input: 'abcd' }, { inputTokenFactor: 0.1 })).toBe(1);
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

  it("counts Anthropic's system prompt and Gemini's parts and system instruction", () => {
    expect(promptCharacters({ system: 'abcd', messages: [{ role: 'user', content: 'efgh' }] })).toBe(8);
    expect(promptCharacters({ system: [{ type: 'text', text: 'ab' }], messages: [] })).toBe(2);
    expect(
      promptCharacters({
        systemInstruction: { parts: [{ text: 'abc' }] },
        contents: [{ role: 'user', parts: [{ text: 'de' }, { inlineData: { data: 'x'.repeat(50) } }] }],
      }),
    ).toBe(5);
  });

  it('scales the prompt by inputTokenFactor, rounding up but not float noise', () => {
    const body = { input: 'a'.repeat(20) }; // 5 tokens
    expect(fakePromptTokens(body, { inputTokenFactor: 1.4 })).toBe(7); // 5 × 1.4 is 7.000000000000001 in floats
    expect(fakePromptTokens(body, { inputTokenFactor: 1.5 })).toBe(8);
    expect(fakePromptTokens(body, { inputTokenFactor: 0.01 })).toBe(1);
  });

  it('keeps cache traffic inside the input and reasoning inside the output', () => {
    const body = { messages: [{ content: 'a'.repeat(40) }] }; // 10 tokens
    expect(fakeTokenCounts(body, 5, { cachedTokens: 4, cacheWriteTokens: 2, reasoningTokens: 3 })).toEqual({
      input: 10,
      cacheRead: 4,
      cacheWrite: 2,
      output: 8,
      reasoning: 3,
    });
    expect(fakeTokenCounts(body, 5, { cachedTokens: 30 }).input).toBe(30);
    expect(fakeTokenCounts(body, 5, { completionTokens: 2, reasoningTokens: 3 }).output).toBe(2);
    expect(fakeUsage(body, { reasoningTokens: 3 })).toEqual({
      prompt_tokens: 10,
      completion_tokens: 8,
      total_tokens: 18,
    });
  });
});
