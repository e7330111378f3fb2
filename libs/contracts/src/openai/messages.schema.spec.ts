import { describe, expect, it } from '@jest/globals';
import { compile } from '../schema/validator.js';
import { AnthropicErrorEnvelope, AnthropicMessage, CountTokensRequest, MessagesRequest } from './messages.schema.js';

const sut = compile(MessagesRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};
const messages = [{ role: 'user', content: 'Hello, world' }];
const weatherTool = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

describe('MessagesRequest', () => {
  // Requests of Anthropic's documentation (Messages reference, tool use, prompt caching, extended thinking, vision).
  it.each([
    ['basic', { model: 'claude-sonnet-4-5', max_tokens: 1024, messages }],
    [
      'tool round trip',
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        tools: [weatherTool],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        messages: [
          { role: 'user', content: "What's the weather like in San Francisco?" },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool_use',
                id: 'toolu_01A09q90qw90lq917835lq9',
                name: 'get_weather',
                input: { location: 'San Francisco, CA' },
              },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' }],
          },
        ],
      },
    ],
    [
      'cached system blocks',
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: [
          { type: 'text', text: 'You are an AI assistant tasked with analyzing literary works.' },
          { type: 'text', text: '<the entire contents of Pride and Prejudice>', cache_control: { type: 'ephemeral' } },
        ],
        messages,
      },
    ],
    [
      'thinking, streamed',
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 16000,
        thinking: { type: 'enabled', budget_tokens: 10000 },
        stream: true,
        messages,
      },
    ],
    [
      'image and sampling',
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['\n\nHuman:'],
        metadata: { user_id: '13803d75-b4b5-4c3e-b2a2-6f21399b021b' },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
              { type: 'text', text: 'Describe this image.' },
            ],
          },
        ],
      },
    ],
  ])('accepts the documented request "%s"', (_name, body) => {
    expect(problemOf(body)).toBeNull();
  });

  it('passes every field it does not declare through, at any depth', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      ],
      container: 'container_011CQUJ',
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }],
    };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [{ messages }, 'model', 'model is required'],
    [{ model: 'm', messages }, 'max_tokens', 'max_tokens is required'],
    [{ model: 'm', messages, max_tokens: 0 }, 'max_tokens', 'max_tokens must be at least 1'],
    [{ model: 'm', messages, max_tokens: 10.5 }, 'max_tokens', 'max_tokens must be an integer'],
    [{ model: 'm', max_tokens: 1 }, 'messages', 'messages is required'],
    [{ model: 'm', max_tokens: 1, messages: [] }, 'messages', 'messages must be a non-empty array'],
    [
      { model: 'm', max_tokens: 1, messages: [{ role: 'system', content: 'x' }] },
      'messages',
      'each message must be an object with a role (user or assistant) and content',
    ],
    [
      { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 7 }] },
      'messages[0].content',
      'messages[0].content must be a string or an array of content blocks',
    ],
    [{ model: 'm', max_tokens: 1, messages, stream: 'yes' }, 'stream', 'stream must be a boolean'],
    [{ model: 'm', max_tokens: 1, messages, stream: null }, 'stream', 'stream must be a boolean'],
    [
      { model: 'm', max_tokens: 1, messages, stop_sequences: 'STOP' },
      'stop_sequences',
      'stop_sequences must be an array',
    ],
    [{ model: 'm', max_tokens: 1, messages, top_k: 1.5 }, 'top_k', 'top_k must be an integer'],
    [
      { model: 'm', max_tokens: 1, messages, system: 7 },
      'system',
      'system must be a string or an array of text blocks',
    ],
    [{ model: 'm', max_tokens: 1, messages, tools: [{}] }, 'tools[0]', 'each tool must be an object with a name'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});

describe('CountTokensRequest', () => {
  const count = compile(CountTokensRequest);

  it('takes the prompt of a Messages request without max_tokens', () => {
    const body = { model: 'claude-sonnet-4-5', system: 'You are a scientist', messages, tools: [weatherTool] };
    expect(count.check(body)).toEqual({ ok: true, value: body });
  });

  it('refuses a body without messages', () => {
    expect(count.check({ model: 'claude-sonnet-4-5' })).toMatchObject({ ok: false, problem: { param: 'messages' } });
  });
});

describe('AnthropicMessage and AnthropicErrorEnvelope', () => {
  it("accept the Messages reference's answer and the errors page's envelope", () => {
    const message = {
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: null, cache_read_input_tokens: 0 },
    };
    expect(compile(AnthropicMessage).check(message)).toMatchObject({ ok: true });
    const envelope = {
      type: 'error',
      error: { type: 'not_found_error', message: 'The requested resource could not be found.' },
    };
    expect(compile(AnthropicErrorEnvelope).check(envelope)).toMatchObject({ ok: true });
    expect(compile(AnthropicErrorEnvelope).check({ error: { message: 'x' } })).toMatchObject({ ok: false });
  });
});
