import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { providerFor } from '../../providers.js';
import { CACHED_USAGE, TEXT_MESSAGE, THINKING_MESSAGE, TOOL_USE_MESSAGE } from './anthropic.fixtures.js';

const anthropic = providerFor('anthropic');
// The answer's translation reads nothing of the request but that it is a chat completion.
const request = { endpoint: 'chat.completions' } as CanonicalRequest;

const answer = (message: object): JsonObject => anthropic.answer(request, structuredClone(message) as JsonObject)!;
const choice = (message: object) => (answer(message).choices as JsonObject[])[0];

describe('anthropic answer translation', () => {
  it('answers a text message as a chat.completion with its usage', () => {
    const completion = answer(TEXT_MESSAGE);
    expect(completion).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 2095,
        completion_tokens: 503,
        total_tokens: 2598,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      },
    });
    expect(Math.abs((completion.created as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('answers tool_use blocks as tool calls whose arguments are the input as JSON', () => {
    expect(choice(TOOL_USE_MESSAGE)).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll check the current weather in San Francisco for you.",
        refusal: null,
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    const toolOnly = { ...TOOL_USE_MESSAGE, content: [TOOL_USE_MESSAGE.content[1]] };
    expect((choice(toolOnly).message as JsonObject).content).toBeNull();
  });

  it('counts cache reads and writes into the prompt tokens and tells them apart in the details', () => {
    expect(answer({ ...TEXT_MESSAGE, usage: CACHED_USAGE }).usage).toEqual({
      prompt_tokens: 100298,
      completion_tokens: 503,
      total_tokens: 100801,
      prompt_tokens_details: { cached_tokens: 100000, cache_write_tokens: 248 },
    });
  });

  it('gives the thinking as reasoning_content, drops redacted thinking, and a max_tokens stop is length', () => {
    expect(choice(THINKING_MESSAGE)).toMatchObject({
      message: {
        role: 'assistant',
        content: 'Based on my analysis...',
        reasoning_content: 'Let me analyze this step by step...',
      },
      finish_reason: 'length',
    });
  });

  it("maps each of Anthropic's stop reasons to OpenAI's finish reason", () => {
    const cases: Array<[string | null, string]> = [
      ['end_turn', 'stop'],
      ['stop_sequence', 'stop'],
      ['max_tokens', 'length'],
      ['model_context_window_exceeded', 'length'],
      ['tool_use', 'tool_calls'],
      ['refusal', 'content_filter'],
      ['pause_turn', 'stop'],
      [null, 'stop'],
    ];
    for (const [stopReason, finish] of cases) {
      expect(choice({ ...TEXT_MESSAGE, stop_reason: stopReason }).finish_reason).toBe(finish);
    }
  });

  it('translates a body without content into an empty answer, and one without usage reports none', () => {
    const completion = answer({ id: 'msg_x', type: 'message', model: 'claude' });
    expect(completion).toMatchObject({
      choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'stop' }],
    });
    // No made-up zeros: the edge counts the tokens of an answer without usage itself.
    expect(completion).not.toHaveProperty('usage');
  });
});
