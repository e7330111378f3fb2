import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { field, namedSseEvents, readUntilError } from './testing/http-helpers.js';

const KEY = 'sk-ant-upstream';
const HEADERS = { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
const BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  system: 'Be brief.', // 9 characters
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there, fake!' }] }], // 18 characters
};
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city', 'unit'],
  },
};

describe('fake provider: Anthropic Messages API', () => {
  let fake: FakeProvider;

  const post = (body: unknown, headers: Record<string, string> = {}, path = '/v1/messages'): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { ...HEADERS, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const events = async (response: Response): Promise<{ event: string | undefined; data: unknown }[]> =>
    namedSseEvents(await response.text());

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers a message object with end_turn and usage counting system and text blocks', async () => {
    const response = await post(BODY);
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toMatch(/^req_fake_\d+$/);
    expect(await response.json()).toEqual({
      id: expect.stringMatching(/^msg_fake_\d+$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'This is a fake answer.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 7, // ceil((9 + 18) / 4)
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 5,
        service_tier: 'standard',
      },
    });
  });

  it('stops at max_tokens and at a stop sequence', async () => {
    const capped = await (await post({ ...BODY, max_tokens: 2 })).json();
    expect(capped).toMatchObject({ content: [{ text: 'This is' }], stop_reason: 'max_tokens', stop_sequence: null });
    expect(field(capped, 'usage', 'output_tokens')).toBe(2);

    const stopped = await (await post({ ...BODY, stop_sequences: ['nothing', 'fake'] })).json();
    expect(stopped).toMatchObject({
      content: [{ type: 'text', text: 'This is a ' }],
      stop_reason: 'stop_sequence',
      stop_sequence: 'fake',
    });
  });

  it('streams the documented event sequence, usage in message_start and message_delta', async () => {
    const response = await post({ ...BODY, stream: true }, { 'x-fake-chunks': '3' });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = await events(response);
    expect(stream.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // Every payload repeats its event name as `type`.
    for (const { event, data } of stream) expect(field(data, 'type')).toBe(event);
    expect(stream[0].data).toEqual({
      type: 'message_start',
      message: {
        id: expect.stringMatching(/^msg_fake_/),
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 7,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    });
    expect(stream[1].data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    expect(stream.slice(3, 6).map((e) => field(e.data, 'delta'))).toEqual([
      { type: 'text_delta', text: 'This' },
      { type: 'text_delta', text: ' is' },
      { type: 'text_delta', text: ' a' },
    ]);
    expect(stream[6].data).toEqual({ type: 'content_block_stop', index: 0 });
    expect(stream[7].data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 3 },
    });
    expect(stream[8].data).toEqual({ type: 'message_stop' });
  });

  it('calls the first custom tool with arguments from its schema, streamed as input_json_delta pieces', async () => {
    const tools = [{ type: 'web_search_20250305', name: 'web_search' }, WEATHER_TOOL];
    const json = await (await post({ ...BODY, tools })).json();
    expect(json).toMatchObject({
      content: [
        {
          type: 'tool_use',
          id: expect.stringMatching(/^toolu_fake_/),
          name: 'get_weather',
          input: { city: 'fake', unit: 'celsius' },
        },
      ],
      stop_reason: 'tool_use',
    });

    const stream = await events(await post({ ...BODY, tools, stream: true }));
    expect(stream[1].data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: expect.stringMatching(/^toolu_fake_/), name: 'get_weather', input: {} },
    });
    const deltas = stream.filter((e) => e.event === 'content_block_delta').map((e) => field(e.data, 'delta'));
    expect(deltas.length).toBeGreaterThan(1);
    for (const delta of deltas) expect(field(delta, 'type')).toBe('input_json_delta');
    expect(JSON.parse(deltas.map((delta) => String(field(delta, 'partial_json'))).join(''))).toEqual({
      city: 'fake',
      unit: 'celsius',
    });
    expect(field(stream.at(-2)?.data, 'delta', 'stop_reason')).toBe('tool_use');
    expect(field(stream.at(-2)?.data, 'usage', 'output_tokens')).toBe(deltas.length);
  });

  it('answers text after a tool result, with tool_choice none, or when told to ignore tools', async () => {
    const afterResult = {
      ...BODY,
      tools: [WEATHER_TOOL],
      messages: [
        ...BODY.messages,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
      ],
    };
    expect(await (await post(afterResult)).json()).toMatchObject({ stop_reason: 'end_turn' });
    const none = { ...BODY, tools: [WEATHER_TOOL], tool_choice: { type: 'none' } };
    expect(await (await post(none)).json()).toMatchObject({ stop_reason: 'end_turn' });
    const ignored = await post({ ...BODY, tools: [WEATHER_TOOL] }, { 'x-fake-ignore-tools': 'true' });
    expect(await ignored.json()).toMatchObject({ content: [{ type: 'text' }], stop_reason: 'end_turn' });

    const named = {
      ...BODY,
      tools: [{ name: 'first', input_schema: {} }, WEATHER_TOOL],
      tool_choice: { type: 'tool', name: 'get_weather' },
    };
    expect(await (await post(named)).json()).toMatchObject({ content: [{ type: 'tool_use', name: 'get_weather' }] });
  });

  it('reports cache reads and writes beside input_tokens, which excludes them', async () => {
    const response = await post(
      { ...BODY, messages: [{ role: 'user', content: 'x'.repeat(400) }], system: undefined },
      { 'x-fake-cached-tokens': '60', 'x-fake-cache-write-tokens': '15', 'x-fake-reasoning-tokens': '4' },
    );
    expect(field(await response.json(), 'usage')).toMatchObject({
      input_tokens: 25, // 100 prompt tokens − 60 read − 15 written
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 15,
      cache_creation: { ephemeral_5m_input_tokens: 15, ephemeral_1h_input_tokens: 0 },
      output_tokens: 9, // 5 words + 4 reasoning
    });

    const factor = await post(BODY, { 'x-fake-input-token-factor': '1.4' });
    expect(field(await factor.json(), 'usage', 'input_tokens')).toBe(10); // ceil(7 × 1.4)
  });

  it('omits usage on demand', async () => {
    const json = await (await post(BODY, { 'x-fake-omit-usage': 'true' })).json();
    expect(json).not.toHaveProperty('usage');
    const stream = await events(await post({ ...BODY, stream: true }, { 'x-fake-omit-usage': 'true' }));
    expect(field(stream[0].data, 'message')).not.toHaveProperty('usage');
    expect(stream.at(-2)?.data).not.toHaveProperty('usage');
  });

  it('ends a stream with an in-band error event, or cuts it', async () => {
    const failed = await events(
      await post(
        { ...BODY, stream: true },
        { 'x-fake-stream-error-after-chunks': '2', 'x-fake-chunk-interval-ms': '1' },
      ),
    );
    expect(failed.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'error',
    ]);
    expect(failed.at(-1)?.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const typed = await events(
      await post(
        { ...BODY, stream: true },
        { 'x-fake-stream-error-after-chunks': '0', 'x-fake-error-code': 'api_error' },
      ),
    );
    expect(field(typed.at(-1)?.data, 'error', 'type')).toBe('api_error');

    const cut = await post({ ...BODY, stream: true }, { 'x-fake-drop-after-chunks': '1' });
    const { text, error } = await readUntilError(cut);
    expect(String(error)).toMatch(/terminated/);
    expect(namedSseEvents(text).map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
    ]);
  });

  it.each([
    [529, undefined, 'overloaded_error'],
    [429, undefined, 'rate_limit_error'],
    [500, undefined, 'api_error'],
    [401, undefined, 'authentication_error'],
    [403, undefined, 'permission_error'],
    [404, undefined, 'not_found_error'],
    [400, undefined, 'invalid_request_error'],
    [503, 'overloaded_error', 'overloaded_error'],
  ])('forces status %i (errorCode %s) as an Anthropic %s error', async (status, errorCode, type) => {
    const headers: Record<string, string> = { 'x-fake-status': String(status), 'x-fake-retry-after': '3' };
    if (errorCode) headers['x-fake-error-code'] = errorCode;
    const response = await post(BODY, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
  });

  it('applies queued and per-model controls', async () => {
    fake.setDefaults({ byModel: { 'claude-slow': { status: 529 } } });
    expect((await post({ ...BODY, model: 'claude-slow' })).status).toBe(529);
    fake.enqueue([{ status: 429, retryAfter: 2 }]);
    const limited = await post(BODY);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post(BODY)).status).toBe(200);
  });

  it('requires model, messages and max_tokens, in Anthropic wording', async () => {
    const { max_tokens: _omitted, ...withoutMaxTokens } = BODY;
    const response = await post(withoutMaxTokens);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    expect(field(await (await post({ ...BODY, model: undefined })).json(), 'error', 'message')).toBe(
      'model: Field required',
    );
    expect(field(await (await post({ ...BODY, messages: 'hi' })).json(), 'error', 'message')).toBe(
      'messages: Input should be a valid list',
    );
    expect((await post({ ...BODY, max_tokens: 0 })).status).toBe(400);
    const badJson = await post('{"model": ');
    expect(badJson.status).toBe(400);
    expect(field(await badJson.json(), 'error', 'type')).toBe('invalid_request_error');
    const badControl = await post(BODY, { 'x-fake-chunks': 'many' });
    expect(badControl.status).toBe(400);
    expect(field(await badControl.json(), 'type')).toBe('error');
  });

  describe('authentication', () => {
    it('needs an x-api-key and the anthropic-version header', async () => {
      const noKey = await fetch(`${fake.url}/v1/messages`, {
        method: 'POST',
        headers: { 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(BODY),
      });
      expect(noKey.status).toBe(401);
      expect(await noKey.json()).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: 'x-api-key header is required' },
      });

      const noVersion = await fetch(`${fake.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': KEY },
        body: JSON.stringify(BODY),
      });
      expect(noVersion.status).toBe(400);
      expect(await noVersion.json()).toEqual({
        type: 'error',
        error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      });
    });

    it('refuses a key not in apiKeys', async () => {
      const strict = await startFakeProvider({ apiKeys: [KEY] });
      try {
        const send = (key: string): Promise<Response> =>
          fetch(`${strict.url}/v1/messages`, {
            method: 'POST',
            headers: { ...HEADERS, 'x-api-key': key },
            body: JSON.stringify(BODY),
          });
        const wrong = await send('sk-ant-wrong');
        expect(wrong.status).toBe(401);
        expect(field(await wrong.json(), 'error')).toEqual({
          type: 'authentication_error',
          message: 'invalid x-api-key',
        });
        expect((await send(KEY)).status).toBe(200);
      } finally {
        await strict.close();
      }
    });

    it('records the dialect and the key header', async () => {
      await (await post(BODY)).text();
      expect(fake.requests.at(-1)).toMatchObject({
        dialect: 'anthropic',
        path: '/v1/messages',
        query: {},
        auth: { in: 'header', name: 'x-api-key', value: KEY, key: KEY },
        body: BODY,
      });
    });
  });

  describe('other endpoints', () => {
    it('counts tokens like the usage of the same request, without consuming the queue', async () => {
      fake.enqueue([{ status: 529 }]);
      const counted = await post(BODY, { 'x-fake-cached-tokens': '2' }, '/v1/messages/count_tokens');
      expect(counted.status).toBe(200);
      expect(await counted.json()).toEqual({ input_tokens: 7 });
      expect(fake.controls().queue).toHaveLength(1);
    });

    it('lists models in Anthropic shape when the request carries Anthropic headers', async () => {
      const list = await (await fetch(`${fake.url}/v1/models`, { headers: HEADERS })).json();
      expect(list).toEqual({
        data: expect.arrayContaining([
          {
            type: 'model',
            id: 'claude-sonnet-4-5-20250929',
            display_name: 'Claude Sonnet 4.5',
            created_at: expect.any(String),
          },
        ]),
        has_more: false,
        first_id: 'claude-sonnet-4-5-20250929',
        last_id: expect.any(String),
      });
      const one = await (await fetch(`${fake.url}/v1/models/claude-x-1`, { headers: HEADERS })).json();
      expect(one).toMatchObject({ type: 'model', id: 'claude-x-1' });
      // Without them the same path is OpenAI's.
      const openai = await (await fetch(`${fake.url}/v1/models`, { headers: { authorization: 'Bearer sk' } })).json();
      expect(field(openai, 'object')).toBe('list');
      expect(fake.requests.map((r) => r.dialect)).toEqual(['anthropic', 'anthropic', 'openai']);
    });

    it('answers an unknown Anthropic path with its 404', async () => {
      const response = await post(BODY, {}, '/v1/messages/batches/nothing');
      expect(response.status).toBe(404);
      expect(field(await response.json(), 'error', 'type')).toBe('not_found_error');
    });
  });
});
