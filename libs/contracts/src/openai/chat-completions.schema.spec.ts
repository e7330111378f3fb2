import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '../schema/fields.js';
import { compile } from '../schema/validator.js';
import { ChatCompletionRequest } from './chat-completions.schema.js';

const sut = compile(ChatCompletionRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};
const messages = [{ role: 'user', content: 'Hello!' }];

describe('ChatCompletionRequest', () => {
  // The examples of OpenAI's API reference for POST /v1/chat/completions.
  it.each([
    [
      'default',
      {
        model: 'gpt-4.1',
        messages: [
          { role: 'developer', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Hello!' },
        ],
      },
    ],
    [
      'image input',
      {
        model: 'gpt-4.1',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: "What's in this image?" },
              { type: 'image_url', image_url: { url: 'https://example.com/boardwalk.jpg' } },
            ],
          },
        ],
        max_tokens: 300,
      },
    ],
    ['streaming', { model: 'gpt-4.1', messages, stream: true, stream_options: { include_usage: true } }],
    [
      'functions',
      {
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: "What's the weather like in Boston today?" }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_current_weather',
              parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
            },
          },
        ],
        tool_choice: 'auto',
      },
    ],
    ['logprobs', { model: 'gpt-4.1', messages, logprobs: true, top_logprobs: 2 }],
  ])('accepts the documented example "%s"', (_name, body) => {
    expect(problemOf(body)).toBeNull();
  });

  it('passes every field it does not declare through, at any depth', () => {
    const body = {
      model: 'm',
      messages: [{ role: 'assistant', content: null, tool_calls: [], provider_hint: 1 }],
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false },
      reasoning_effort: 'low',
      some_new_provider_parameter: { anything: [1, 'two'] },
    };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it('takes null for every optional field, as OpenAI does', () => {
    const optional = ['max_tokens', 'max_completion_tokens', 'n', 'stream', 'stream_options', 'temperature', 'tools'];
    expect(problemOf({ model: 'm', messages, ...Object.fromEntries(optional.map((field) => [field, null])) })).toBe(
      null,
    );
    expect(problemOf({ model: 'm', messages, stream_options: { include_usage: null } })).toBeNull();
  });

  it.each([
    [{ messages }, 'model', 'model is required'],
    [{ model: 7, messages }, 'model', 'model must be a string'],
    [{ model: '', messages }, 'model', 'model must not be empty'],
    [{ model: 'm' }, 'messages', 'messages is required'],
    [{ model: 'm', messages: null }, 'messages', 'messages must be a non-empty array'],
    [{ model: 'm', messages: 'hi' }, 'messages', 'messages must be a non-empty array'],
    [{ model: 'm', messages: [] }, 'messages', 'messages must be a non-empty array'],
    [{ model: 'm', messages: ['hi'] }, 'messages', 'each message must be an object with a role'],
    [
      { model: 'm', messages: [...messages, { content: 'x' }] },
      'messages',
      'each message must be an object with a role',
    ],
    [{ model: 'm', messages: [{ role: 1 }] }, 'messages', 'each message must be an object with a role'],
    [{ model: 'm', messages, max_tokens: 0 }, 'max_tokens', 'max_tokens must be at least 1'],
    [{ model: 'm', messages, max_tokens: '5' }, 'max_tokens', 'max_tokens must be an integer'],
    [
      { model: 'm', messages, max_completion_tokens: 2.5 },
      'max_completion_tokens',
      'max_completion_tokens must be an integer',
    ],
    [{ model: 'm', messages, n: '2' }, 'n', 'n must be an integer'],
    [{ model: 'm', messages, n: 0 }, 'n', 'n must be at least 1'],
    [{ model: 'm', messages, n: LIMITS.choices + 1 }, 'n', `n must be at most ${LIMITS.choices}`],
    [{ model: 'm', messages, stream: 'yes' }, 'stream', 'stream must be a boolean'],
    [{ model: 'm', messages, stream_options: [] }, 'stream_options', 'stream_options must be an object'],
    [
      { model: 'm', messages, stream_options: { include_usage: 'yes' } },
      'stream_options.include_usage',
      'stream_options.include_usage must be a boolean',
    ],
    [{ model: 'm', messages, top_p: '1' }, 'top_p', 'top_p must be a number'],
    [{ model: 'm', messages, frequency_penalty: {} }, 'frequency_penalty', 'frequency_penalty must be a number'],
    [{ model: 'm', messages, tools: {} }, 'tools', 'tools must be an array'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });

  it('accepts n from 1 to the bound OpenAI sets', () => {
    expect(problemOf({ model: 'm', messages, n: 1 })).toBeNull();
    expect(problemOf({ model: 'm', messages, n: LIMITS.choices })).toBeNull();
  });
});
