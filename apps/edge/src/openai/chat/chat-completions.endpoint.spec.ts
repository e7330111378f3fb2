import { describe, expect, it } from '@jest/globals';
import { DenialException, renderDenial } from '@tollgate/errors';
import type { EdgeConfig } from '../../edge.config.js';
import { countChatInput } from '../../relay/chat-input.js';
import { IMAGE_HIGH_DETAIL_TOKENS } from '../../relay/input-allowances.js';
import { countText } from '../../relay/usage-estimate.js';
import type { JsonObject } from '../endpoint.js';
import { chatCompletionsEndpoint as sut } from './chat-completions.endpoint.js';

function errorFor(body: JsonObject): { code: string | null; message: string; param: string | null } | null {
  try {
    sut.validate(body);
    return null;
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    const rendered = renderDenial(error.denial, 'tid');
    expect(rendered.status).toBe(400);
    const { code, message, param } = rendered.body.error;
    return { code, message, param };
  }
}

const messages = [{ role: 'user', content: 'Hello there' }];
const config = { DEFAULT_MAX_OUTPUT_TOKENS: 4096 } as EdgeConfig;

describe('chatCompletionsEndpoint', () => {
  it('accepts a minimal and a full request', () => {
    expect(errorFor({ model: 'm', messages })).toBeNull();
    expect(
      errorFor({
        model: 'm',
        messages,
        max_tokens: 5,
        n: 2,
        stream: true,
        stream_options: { include_usage: false },
        temperature: 0.2,
        tools: [],
        max_completion_tokens: null,
      }),
    ).toBeNull();
  });

  it.each([
    [{}, 'messages', 'Invalid request: messages is required'],
    [{ messages: 'hi' }, 'messages', 'Invalid request: messages must be a non-empty array'],
    [{ messages: [] }, 'messages', 'Invalid request: messages must be a non-empty array'],
    [{ messages: ['hi'] }, 'messages', 'Invalid request: each message must be an object with a role'],
    [{ messages: [{ content: 'x' }] }, 'messages', 'Invalid request: each message must be an object with a role'],
    [{ messages, max_tokens: -1 }, 'max_tokens', 'Invalid request: max_tokens must be at least 1'],
    [{ messages, max_tokens: '5' }, 'max_tokens', 'Invalid request: max_tokens must be an integer'],
    [{ messages, max_tokens: 1.5 }, 'max_tokens', 'Invalid request: max_tokens must be an integer'],
    [
      { messages, max_completion_tokens: 0 },
      'max_completion_tokens',
      'Invalid request: max_completion_tokens must be at least 1',
    ],
    [{ messages, n: '2' }, 'n', 'Invalid request: n must be an integer'],
    [{ messages, stream: 'yes' }, 'stream', 'Invalid request: stream must be a boolean'],
    [{ messages, stream_options: true }, 'stream_options', 'Invalid request: stream_options must be an object'],
    [
      { messages, stream: true, stream_options: { include_usage: 1 } },
      'stream_options.include_usage',
      'Invalid request: stream_options.include_usage must be a boolean',
    ],
    [{ messages, temperature: 'hot' }, 'temperature', 'Invalid request: temperature must be a number'],
    [{ messages, tools: {} }, 'tools', 'Invalid request: tools must be an array'],
    // Refused by the relay before validation too; the contract says the same.
    [{ model: 7, messages }, 'model', 'Invalid request: model must be a string'],
    [{ model: undefined, messages }, 'model', 'Invalid request: model is required'],
    [{ messages: null }, 'messages', 'Invalid request: messages must be a non-empty array'],
    [{ messages, n: null, top_p: [] }, 'top_p', 'Invalid request: top_p must be a number'],
  ])('refuses %j: %s', (body, param, message) => {
    expect(errorFor({ model: 'm', ...body })).toEqual({ code: 'invalid_request', param, message });
  });

  it.each([[0], [129], [1.5], [-2]])('answers n=%d with the documented row n_not_within_range', (n) => {
    expect(errorFor({ model: 'm', messages, n })).toEqual({
      code: 'n_not_within_range',
      message: 'invalid value of n',
      param: null,
    });
  });

  it('holds the counted prompt and max output × n', () => {
    expect(sut.estimate({ messages, max_tokens: 10, n: 3 }, config)).toEqual({
      inputTokens: countChatInput({ messages }).total,
      inputAllowanceTokens: 0,
      outputTokens: 30,
      images: 0,
      imageSize: null,
      characters: 0,
    });
    expect(sut.estimate({ messages, max_completion_tokens: 7, max_tokens: 10 }, config).outputTokens).toBe(7);
    expect(sut.estimate({ messages }, config).outputTokens).toBe(4096);
  });

  it('holds tools and images too, and says which part of the input is an allowance', () => {
    const image = { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } };
    const body = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }, image] }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    };
    const estimate = sut.estimate(body, config);
    expect(estimate.inputTokens).toBe(countChatInput(body).total);
    expect(estimate.inputTokens).toBeGreaterThan(countChatInput({ messages }).total + IMAGE_HIGH_DETAIL_TOKENS);
    expect(estimate.inputAllowanceTokens).toBe(IMAGE_HIGH_DETAIL_TOKENS);
  });

  it('bills the reported usage, else counts the answer text', () => {
    const estimate = sut.estimate({ messages }, config);
    const none = {
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      images: 0,
      characters: 0,
      audioSeconds: 0,
    };
    expect(sut.usageFromResponse({ usage: { prompt_tokens: 9, completion_tokens: 4 } }, {}, estimate)).toEqual({
      ...none,
      inputTokens: 9,
      outputTokens: 4,
    });
    const answer = { choices: [{ message: { role: 'assistant', content: 'This is a fake answer.' } }] };
    expect(sut.usageFromResponse(answer, {}, estimate)).toEqual({
      ...none,
      inputTokens: estimate.inputTokens,
      outputTokens: countText('This is a fake answer.'),
    });
  });

  it('bills the cached, cache-write and reasoning tokens the upstream reports as parts of the totals', () => {
    const estimate = sut.estimate({ messages }, config);
    const usage = {
      prompt_tokens: 1200,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 800, cache_write_tokens: 100, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 120, audio_tokens: 0 },
    };
    expect(sut.usageFromResponse({ usage }, {}, estimate)).toEqual({
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 800,
      cacheWriteTokens: 100,
      reasoningTokens: 120,
      images: 0,
      characters: 0,
      audioSeconds: 0,
    });
    // Details that are absent, null or not whole non-negative numbers count as none.
    const odd = {
      prompt_tokens: 10,
      completion_tokens: 5,
      prompt_tokens_details: null,
      completion_tokens_details: { reasoning_tokens: -3 },
    };
    expect(sut.usageFromResponse({ usage: odd }, {}, estimate)).toMatchObject({
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });
});
