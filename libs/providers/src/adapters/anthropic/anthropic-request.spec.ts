import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { providerFor } from '../../providers.js';

const anthropic = providerFor('anthropic');

const request = (body: JsonObject, overrides: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  endpoint: 'chat.completions',
  target: { baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test-0123456789', apiVersion: null },
  upstreamModel: 'claude-sonnet-4-5-20250929',
  stream: false,
  body: { model: 'claude', ...body },
  openAiBytes: () => {
    throw new Error('an anthropic channel never sends the OpenAI bytes');
  },
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
  ...overrides,
});

const user = (content: unknown) => ({ role: 'user', content });

/** The Messages API body sent for an OpenAI-form body. */
function sent(body: JsonObject, overrides: Partial<CanonicalRequest> = {}): JsonObject {
  return JSON.parse(anthropic.request(request(body, overrides)).body as string) as JsonObject;
}

/** The parameter a refused body is refused for (and the refusal's detail). */
function refusal(body: JsonObject): { param?: string; detail?: string } {
  try {
    anthropic.request(request(body));
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    expect(error.denial.reason).toBe('invalid_request');
    return error.denial.params ?? {};
  }
  throw new Error('the body was not refused');
}

describe('anthropic request translation', () => {
  it('posts to {base}/v1/messages with the key, the API version and the default output cap', () => {
    const call = anthropic.request(request({ messages: [user('Hello, Claude')] }));
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://api.anthropic.com/v1/messages',
      headers: {
        'x-api-key': 'sk-ant-test-0123456789',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
    });
    expect(call.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(call.body as string)).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, Claude' }] }],
      max_tokens: 4096,
    });
  });

  it('moves system and developer messages to the top-level system text and merges same-role turns', () => {
    const body = sent({
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'developer',
          content: [{ type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } }],
        },
        user('Hi'),
        user([{ type: 'text', text: 'Are you there?' }]),
        { role: 'assistant', content: 'Oui.' },
        { role: 'system', content: 'Be kind.' },
        user('Merci'),
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Be kind.' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'Are you there?' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Oui.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Merci' }] },
    ]);
  });

  it('sends images by data URL as base64 sources and by http(s) URL as URL sources', () => {
    const body = sent({
      messages: [
        user([
          { type: 'text', text: 'What is in these images?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/cat.jpg' } },
        ]),
      ],
    });
    expect((body.messages as JsonObject[])[0].content).toEqual([
      { type: 'text', text: 'What is in these images?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/cat.jpg' } },
    ]);
    expect(
      refusal({
        messages: [
          user([
            { type: 'text', text: 'x' },
            { type: 'image_url', image_url: { url: 'ftp://x/y' } },
          ]),
        ],
      }).param,
    ).toBe('messages[0].content[1].image_url.url');
    expect(refusal({ messages: [user([{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }])] })).toEqual(
      expect.objectContaining({ param: 'messages[0].content[0].type' }),
    );
  });

  it('turns a tool-call round trip into tool_use and tool_result blocks, parallel results in one user turn', () => {
    const body = sent({
      messages: [
        user('Weather in Paris and Rome?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24°C' }] },
        user('And tomorrow?'),
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '24°C' }] },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  it('refuses tool-call arguments that are not a JSON object, naming them', () => {
    const call = (args: string) => ({
      messages: [
        user('x'),
        { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: args } }] },
      ],
    });
    expect(refusal(call('{"city": "Par'))).toEqual({
      param: 'messages[1].tool_calls[0].function.arguments',
      detail: 'messages[1].tool_calls[0].function.arguments must be a JSON object, as a string',
    });
    expect(refusal(call('[1, 2]')).param).toBe('messages[1].tool_calls[0].function.arguments');
    expect((sent(call('')).messages as JsonObject[])[1].content).toEqual([
      { type: 'tool_use', id: 'c', name: 'f', input: {} },
    ]);
  });

  it('declares function tools with their schema and maps every tool_choice', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'now' } },
    ];
    const base = { messages: [user('x')], tools };
    expect(sent(base).tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
        strict: true,
      },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(sent(base)).not.toHaveProperty('tool_choice');
    expect(sent({ ...base, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' });
    expect(sent({ ...base, tool_choice: 'none' }).tool_choice).toEqual({ type: 'none' });
    expect(sent({ ...base, tool_choice: 'required' }).tool_choice).toEqual({ type: 'any' });
    expect(sent({ ...base, tool_choice: { type: 'function', function: { name: 'now' } } }).tool_choice).toEqual({
      type: 'tool',
      name: 'now',
    });
    expect(sent({ ...base, parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(sent({ ...base, tool_choice: 'required', parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(sent({ ...base, parallel_tool_calls: true })).not.toHaveProperty('tool_choice');
    expect(refusal({ ...base, tool_choice: 'sometimes' }).param).toBe('tool_choice');
    expect(refusal({ messages: [user('x')], tools: [{ type: 'custom', custom: { name: 'x' } }] }).param).toBe(
      'tools[0].type',
    );
  });

  it('translates the sampling and output parameters', () => {
    expect(
      sent({
        messages: [user('x')],
        max_tokens: 100,
        max_completion_tokens: 300,
        stop: ['\n\nHuman:', 'END'],
        temperature: 0.2,
        top_p: 0.9,
        user: 'user-7f3a',
      }),
    ).toMatchObject({
      max_tokens: 300,
      stop_sequences: ['\n\nHuman:', 'END'],
      temperature: 0.2,
      top_p: 0.9,
      metadata: { user_id: 'user-7f3a' },
    });
    expect(sent({ messages: [user('x')], max_tokens: 100, stop: 'END' })).toMatchObject({
      max_tokens: 100,
      stop_sequences: ['END'],
    });
    expect(sent({ messages: [user('x')], safety_identifier: 'hash-1', user: 'ignored' }).metadata).toEqual({
      user_id: 'hash-1',
    });
    expect(refusal({ messages: [user('x')], stop: [1] }).param).toBe('stop');
  });

  it("clamps a temperature above Anthropic's range of 0 to 1", () => {
    expect(sent({ messages: [user('x')], temperature: 1.7 }).temperature).toBe(1);
    expect(sent({ messages: [user('x')], temperature: 0 }).temperature).toBe(0);
  });

  it('asks for a stream when the client streams', () => {
    expect(sent({ messages: [user('x')], stream: true }, { stream: true }).stream).toBe(true);
    expect(sent({ messages: [user('x')] })).not.toHaveProperty('stream');
  });

  it('sends a json_schema response format as structured output and refuses JSON mode without a schema', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    expect(
      sent({
        messages: [user('x')],
        response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } },
      }).output_config,
    ).toEqual({ format: { type: 'json_schema', schema } });
    expect(sent({ messages: [user('x')], response_format: { type: 'text' } })).not.toHaveProperty('output_config');
    expect(refusal({ messages: [user('x')], response_format: { type: 'json_object' } }).param).toBe(
      'response_format.type',
    );
    expect(refusal({ messages: [user('x')], response_format: { type: 'json_schema', json_schema: {} } }).param).toBe(
      'response_format.json_schema.schema',
    );
  });

  it('asks for adaptive thinking at the effort the client named', () => {
    expect(sent({ messages: [user('x')], reasoning_effort: 'medium' })).toMatchObject({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'medium' },
    });
    expect(sent({ messages: [user('x')], reasoning_effort: 'minimal' }).output_config).toEqual({ effort: 'low' });
    const none = sent({ messages: [user('x')], reasoning_effort: 'none' });
    expect(none).not.toHaveProperty('thinking');
    expect(none).not.toHaveProperty('output_config');
    expect(refusal({ messages: [user('x')], reasoning_effort: 'extreme' }).param).toBe('reasoning_effort');
  });

  it('refuses, naming it, a parameter without counterpart unless it asks for nothing', () => {
    const messages = [user('x')];
    for (const [param, value] of [
      ['n', 2],
      ['logprobs', true],
      ['top_logprobs', 3],
      ['logit_bias', { '50256': -100 }],
      ['presence_penalty', 0.5],
      ['frequency_penalty', -1],
      ['modalities', ['text', 'audio']],
      ['audio', { voice: 'alloy', format: 'wav' }],
      ['prediction', { type: 'content', content: 'x' }],
      ['functions', [{ name: 'f' }]],
      ['web_search_options', {}],
    ] as const) {
      expect(refusal({ messages, [param]: value }).param).toBe(param);
    }
    expect(refusal({ messages, n: 2 }).detail).toBe('anthropic channels generate one choice: n must be 1');
    expect(refusal({ messages, web_search_options: {} }).detail).toBe(
      'web_search_options has no counterpart on anthropic channels',
    );
    const neutral = sent({
      messages,
      n: 1,
      logprobs: false,
      presence_penalty: 0,
      frequency_penalty: 0,
      logit_bias: {},
      modalities: ['text'],
      top_logprobs: null,
    });
    expect(Object.keys(neutral).sort()).toEqual(['max_tokens', 'messages', 'model']);
  });

  it('serves a request carrying harmless hints without them', () => {
    const body = sent({
      messages: [user('x')],
      seed: 42,
      service_tier: 'auto',
      store: false,
      metadata: { session: 'a' },
      prompt_cache_key: 'tenant-1',
      stream_options: { include_usage: true },
    });
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model']);
  });

  it('refuses a role Anthropic has no place for, naming the message', () => {
    expect(refusal({ messages: [user('x'), { role: 'function', name: 'f', content: '1' }] }).param).toBe(
      'messages[1].role',
    );
    expect(refusal({ messages: [user('x'), { role: 'tool', content: '1' }] }).param).toBe('messages[1].tool_call_id');
  });
});
