import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { geminiChatBody, SKIP_SIGNATURE_CHECK } from './gemini-chat-request.js';
import { geminiAdapter } from './gemini.adapter.js';

const target = { baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'AIzaSy-test-key', apiVersion: null };

const request = (body: JsonObject, overrides: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  endpoint: 'chat.completions',
  target,
  upstreamModel: 'gemini-2.5-flash',
  stream: false,
  body: { model: 'gemini-flash', ...body },
  openAiBytes: () => {
    throw new Error('a translating adapter never sends the OpenAI bytes');
  },
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
  ...overrides,
});

const translate = (body: JsonObject, overrides: Partial<CanonicalRequest> = {}) =>
  geminiChatBody(request(body, overrides));

/** The refusal's param and message detail, or null when the request translates. */
function refusal(body: JsonObject): { param?: string; detail?: string } | null {
  try {
    translate(body);
    return null;
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    expect(error.denial.reason).toBe('invalid_request');
    return { param: error.denial.params?.param, detail: error.denial.params?.detail };
  }
}

const user = (content: unknown) => ({ role: 'user', content });

describe('gemini chat request', () => {
  it('calls generateContent with the key in x-goog-api-key, and streams with alt=sse', () => {
    const call = geminiAdapter.request(request({ messages: [user('Hi')] }));
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'x-goog-api-key': 'AIzaSy-test-key', 'content-type': 'application/json' },
    });
    expect(call.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(call.body as string)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });

    const streamed = geminiAdapter.request(request({ messages: [user('Hi')], stream: true }, { stream: true }));
    expect(streamed.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(streamed.headers.accept).toBe('text/event-stream');
  });

  it('addresses tuned models and mappings with the models/ prefix, and a base URL that has its version', () => {
    const url = (upstreamModel: string, baseUrl = target.baseUrl) =>
      geminiAdapter.request(request({ messages: [user('Hi')] }, { upstreamModel, target: { ...target, baseUrl } })).url;
    expect(url('models/gemini-2.5-pro')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent',
    );
    expect(url('tunedModels/my-model-7')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model-7:generateContent',
    );
    expect(url('gemini-2.5-flash', 'https://proxy.example/gemini/v1beta')).toBe(
      'https://proxy.example/gemini/v1beta/models/gemini-2.5-flash:generateContent',
    );
  });

  it('puts system and developer messages in systemInstruction and speaks as model for the assistant', () => {
    const body = translate({
      messages: [
        { role: 'system', content: 'You are a cat. Your name is Neko.' },
        user('Hello there'),
        { role: 'assistant', content: [{ type: 'text', text: 'Meow.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        user([{ type: 'text', text: 'What is your name?' }]),
      ],
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'You are a cat. Your name is Neko.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hello there' }] },
        { role: 'model', parts: [{ text: 'Meow.' }] },
        { role: 'user', parts: [{ text: 'What is your name?' }] },
      ],
    });
  });

  it('merges consecutive turns of one role, as Gemini expects them to alternate', () => {
    const body = translate({ messages: [user('one'), user('two'), { role: 'assistant', content: 'three' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ text: 'three' }] },
    ]);
  });

  it('sends data-URL images, audio and files inline, and http images as fileData typed by extension', () => {
    const body = translate({
      messages: [
        user([
          { type: 'text', text: 'Caption these.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.JPG?size=large' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
          { type: 'image_url', image_url: 'https://generativelanguage.googleapis.com/v1beta/files/abc-123' },
        ]),
      ],
    });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Caption these.' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photos/cat.JPG?size=large' } },
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc-123' } },
        ],
      },
    ]);
  });

  it('refuses media Gemini cannot be given, naming the part', () => {
    const part = (content: unknown) => refusal({ messages: [user([content])] });
    expect(part({ type: 'image_url', image_url: { url: 'https://cdn.example.com/i/12345' } })).toMatchObject({
      param: 'messages[0].content[0].image_url.url',
      detail: expect.stringContaining('need the file'),
    });
    expect(part({ type: 'image_url', image_url: { url: 'data:image/png,rawbytes' } })?.param).toBe(
      'messages[0].content[0].image_url.url',
    );
    expect(part({ type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } })?.param).toBe(
      'messages[0].content[0].image_url.url',
    );
    expect(part({ type: 'file', file: { file_id: 'file-abc123' } })?.param).toBe('messages[0].content[0].file.file_id');
    expect(part({ type: 'input_audio', input_audio: { data: 'x', format: 'flac' } })?.param).toBe(
      'messages[0].content[0].input_audio.format',
    );
    expect(part({ type: 'video_url', video_url: 'https://example.com/v.mp4' })?.param).toBe(
      'messages[0].content[0].type',
    );
  });

  it('replays tool calls as functionCall parts and tool results as functionResponse parts named after the call', () => {
    const body = translate({
      messages: [
        user('Schedule a meeting with Bob and Alice for 03/14/2025 at 10:00 AM about the Q3 planning.'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'schedule_meeting', arguments: '{"attendees":["Bob","Alice"],"date":"2025-03-14"}' },
              extra_content: { google: { thought_signature: 'CiQB0e2Kb7x' } },
            },
            { id: 'call_2', type: 'function', function: { name: 'notify', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_2', content: 'sent' },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '{"status":"scheduled"}' }] },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [{ text: 'Schedule a meeting with Bob and Alice for 03/14/2025 at 10:00 AM about the Q3 planning.' }],
      },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'schedule_meeting', args: { attendees: ['Bob', 'Alice'], date: '2025-03-14' } },
            thoughtSignature: 'CiQB0e2Kb7x',
          },
          { functionCall: { name: 'notify', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'notify', response: { output: 'sent' } } },
          { functionResponse: { name: 'schedule_meeting', response: { status: 'scheduled' } } },
        ],
      },
    ]);
  });

  it('signs a replayed call that lost its signature on Gemini 3, which refuses unsigned calls, and nowhere else', () => {
    const messages = [
      user('Weather in London?'),
      {
        role: 'assistant',
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"London"}' } },
          { id: 'b', type: 'function', function: { name: 'get_time', arguments: '{"city":"London"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: '12°C' },
      { role: 'tool', tool_call_id: 'b', content: '10:00' },
    ];
    const parts = (upstreamModel: string) =>
      (translate({ messages }, { upstreamModel }).contents as JsonObject[])[1].parts as JsonObject[];
    expect(parts('gemini-3-pro-preview').map((part) => part.thoughtSignature)).toEqual([
      SKIP_SIGNATURE_CHECK,
      undefined,
    ]);
    expect(parts('gemini-2.5-flash').map((part) => part.thoughtSignature)).toEqual([undefined, undefined]);
  });

  it('refuses tool history Gemini cannot match up', () => {
    expect(refusal({ messages: [user('x'), { role: 'tool', tool_call_id: 'call_9', content: 'r' }] })).toMatchObject({
      param: 'messages[1].tool_call_id',
    });
    const call = (args: unknown) => ({
      messages: [user('x'), { role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: args } }] }],
    });
    expect(refusal(call('{"a":'))?.param).toBe('messages[1].tool_calls[0].function.arguments');
    expect(refusal(call('[1,2]'))?.param).toBe('messages[1].tool_calls[0].function.arguments');
    expect(refusal({ messages: [user('x'), { role: 'assistant', content: null }] })?.param).toBe('messages[1].content');
    expect(refusal({ messages: [user('x'), { role: 'function', name: 'f', content: 'r' }] })?.param).toBe(
      'messages[1].role',
    );
    expect(refusal({ messages: [{ role: 'system', content: 'only instructions' }] })?.param).toBe('messages');
  });

  it('declares function tools with their schema in Gemini form and maps tool_choice', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_current_temperature',
          description: 'Gets the current temperature for a given location.',
          strict: true,
          parameters: {
            type: 'object',
            properties: {
              location: { type: 'string', description: 'The city name, e.g. San Francisco' },
              unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit', null] },
            },
            required: ['location', 'unit'],
            additionalProperties: false,
          },
        },
      },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ];
    const body = translate({ messages: [user('Temperature in London?')], tools });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_current_temperature',
            description: 'Gets the current temperature for a given location.',
            parameters: {
              type: 'OBJECT',
              properties: {
                location: { type: 'STRING', description: 'The city name, e.g. San Francisco' },
                unit: { type: 'STRING', nullable: true, enum: ['celsius', 'fahrenheit'] },
              },
              required: ['location', 'unit'],
            },
          },
          { name: 'get_time' },
        ],
      },
    ]);
    const config = (tool_choice: unknown) =>
      translate({ messages: [user('x')], tools, tool_choice }).toolConfig as JsonObject;
    expect(config(undefined)).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(config('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(config('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(config({ type: 'function', function: { name: 'get_time' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] },
    });
    expect(
      config({
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_time' } }] },
      }),
    ).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } });
  });

  it('refuses tools Gemini has no form for, and a tool_choice that names none of them', () => {
    const messages = [user('x')];
    const fn = { type: 'function', function: { name: 'f' } };
    expect(refusal({ messages, tools: [{ type: 'custom', custom: { name: 'grammar' } }] })?.param).toBe(
      'tools[0].type',
    );
    expect(refusal({ messages, tools: [{ type: 'function', function: {} }] })?.param).toBe('tools[0].function.name');
    expect(refusal({ messages, tools: [fn], tool_choice: { type: 'function', function: { name: 'g' } } })?.param).toBe(
      'tool_choice.function.name',
    );
    expect(refusal({ messages, tool_choice: 'required' })?.param).toBe('tool_choice');
    expect(refusal({ messages, tools: [fn], tool_choice: 'sometimes' })?.param).toBe('tool_choice');
    expect(
      refusal({
        messages,
        tools: [fn],
        tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [fn] } },
      })?.param,
    ).toBe('tool_choice.allowed_tools.mode');
    expect(refusal({ messages, tool_choice: 'none' })).toBeNull();
  });

  it('maps the generation parameters into generationConfig', () => {
    const body = translate({
      messages: [user('Write a story about a magic backpack.')],
      temperature: 0.7,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 100,
      max_completion_tokens: 800,
      stop: ['Title'],
      n: 2,
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: -0.25,
      reasoning_effort: 'low',
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 800,
      stopSequences: ['Title'],
      candidateCount: 2,
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: -0.25,
      thinkingConfig: { thinkingBudget: 1024 },
    });
    expect(translate({ messages: [user('x')], max_tokens: 5, stop: 'END' }).generationConfig).toEqual({
      maxOutputTokens: 5,
      stopSequences: ['END'],
    });
    expect(translate({ messages: [user('x')], reasoning_effort: 'none' }).generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(translate({ messages: [user('x')], temperature: null, stop: null })).not.toHaveProperty('generationConfig');
  });

  it('asks for JSON, with the schema in Gemini form and its keys in order, for response_format', () => {
    expect(translate({ messages: [user('x')], response_format: { type: 'json_object' } }).generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
    expect(translate({ messages: [user('x')], response_format: { type: 'text' } })).not.toHaveProperty(
      'generationConfig',
    );
    const config = translate({
      messages: [user('List a few popular cookie recipes, and include the amounts of ingredients.')],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'recipes',
          strict: true,
          schema: {
            type: 'array',
            items: {
              type: 'object',
              properties: { recipeName: { type: 'string' }, ingredients: { type: 'array', items: { type: 'string' } } },
              required: ['recipeName', 'ingredients'],
              additionalProperties: false,
            },
          },
        },
      },
    }).generationConfig;
    expect(config).toEqual({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'ARRAY',
        items: {
          type: 'OBJECT',
          properties: { recipeName: { type: 'STRING' }, ingredients: { type: 'ARRAY', items: { type: 'STRING' } } },
          required: ['recipeName', 'ingredients'],
          propertyOrdering: ['recipeName', 'ingredients'],
        },
      },
    });
  });

  it('refuses wrong values of the parameters it translates, naming them', () => {
    const messages = [user('x')];
    expect(refusal({ messages, stop: [1, 2] })?.param).toBe('stop');
    expect(refusal({ messages, seed: 1.5 })?.param).toBe('seed');
    expect(refusal({ messages, top_k: 0 })?.param).toBe('top_k');
    expect(refusal({ messages, reasoning_effort: 'xhigh' })?.param).toBe('reasoning_effort');
    expect(refusal({ messages, reasoning_effort: 'constructor' })?.param).toBe('reasoning_effort');
    expect(refusal({ messages, response_format: { type: 'grammar' } })?.param).toBe('response_format.type');
    expect(refusal({ messages, response_format: { type: 'json_schema' } })?.param).toBe('response_format.json_schema');
  });

  it('refuses parameters with no counterpart, ignores harmless hints and off values', () => {
    const messages = [user('x')];
    for (const [param, value] of [
      ['logprobs', true],
      ['top_logprobs', 3],
      ['logit_bias', { '50256': -100 }],
      ['modalities', ['text', 'audio']],
      ['audio', { voice: 'alloy', format: 'wav' }],
      ['prediction', { type: 'content', content: 'x' }],
      ['web_search_options', {}],
      ['functions', [{ name: 'f' }]],
      ['function_call', 'auto'],
      ['verbosity', 'low'],
      ['best_of', 2],
    ] as const) {
      expect(refusal({ messages, [param]: value })).toEqual({
        param,
        detail: `${param} has no counterpart on gemini channels`,
      });
    }
    expect(
      refusal({
        messages,
        user: 'user-1234',
        metadata: { session: 'a' },
        store: false,
        service_tier: 'auto',
        parallel_tool_calls: false,
        safety_identifier: 'h-1',
        prompt_cache_key: 'k',
        logprobs: false,
        top_logprobs: 0,
        logit_bias: {},
        modalities: ['text'],
        audio: null,
        stream_options: { include_usage: true },
      }),
    ).toBeNull();
  });
});
