import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import { fakeEmbedding } from './embeddings.handler.js';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { fakeUsage } from './fake-usage.js';
import { isRecord } from './json-guards.js';
import { FAKE_SPEECH } from './speech.handler.js';
import { field, readUntilError, sseEvents } from './testing/http-helpers.js';

const CHAT_BODY = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' }, // 9 characters
    { role: 'user', content: [{ type: 'text', text: 'Hello there, fake!' }] }, // 18 characters
  ],
};

describe('fake provider over HTTP', () => {
  let fake: FakeProvider;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const json = (response: Response): Promise<unknown> => response.json();

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('listens on loopback with a free port', () => {
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
  });

  describe('POST /v1/chat/completions', () => {
    it('answers a chat.completion that echoes the model, with deterministic usage', async () => {
      const response = await post('/v1/chat/completions', CHAT_BODY);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-request-id')).toMatch(/^req_fake_\d+$/);
      const body = await json(response);
      expect(body).toMatchObject({
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'This is a fake answer.', refusal: null },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 }, // ceil((9 + 18) / 4) = 7
      });
      expect(field(body, 'usage', 'prompt_tokens')).toBe(fakeUsage(CHAT_BODY).prompt_tokens);
      expect(field(body, 'id')).toMatch(/^chatcmpl-fake-\d+$/);
      expect(typeof field(body, 'created')).toBe('number');
    });

    it('makes `chunks` words, cut by max_tokens with finish_reason "length"', async () => {
      const seven = await json(await post('/v1/chat/completions', CHAT_BODY, { 'x-fake-chunks': '7' }));
      expect(field(seven, 'choices', 0, 'message', 'content')).toBe('This is a fake answer. This is');
      expect(field(seven, 'usage', 'completion_tokens')).toBe(7);

      const capped = await json(await post('/v1/chat/completions', { ...CHAT_BODY, max_tokens: 2 }));
      expect(field(capped, 'choices', 0, 'message', 'content')).toBe('This is');
      expect(field(capped, 'choices', 0, 'finish_reason')).toBe('length');
      expect(field(capped, 'usage', 'completion_tokens')).toBe(2);
    });

    it('forces usage values or omits usage on demand', async () => {
      const forced = await json(await post('/v1/chat/completions', CHAT_BODY, { 'x-fake-completion-tokens': '1000' }));
      expect(field(forced, 'usage')).toMatchObject({ prompt_tokens: 7, completion_tokens: 1000, total_tokens: 1007 });
      expect(field(forced, 'choices', 0, 'message', 'content')).toBe('This is a fake answer.');

      const omitted = await json(await post('/v1/chat/completions', CHAT_BODY, { 'x-fake-omit-usage': 'true' }));
      expect(isRecord(omitted) && 'usage' in omitted).toBe(false);
    });

    it('streams chunks, a finish chunk, the usage chunk and [DONE] when include_usage is set', async () => {
      const response = await post(
        '/v1/chat/completions',
        { ...CHAT_BODY, stream: true, stream_options: { include_usage: true } },
        {
          'x-fake-chunks': '3',
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const events = sseEvents(await response.text());

      expect(events).toHaveLength(3 + 1 + 1 + 1);
      expect(events.at(-1)).toBe('[DONE]');
      const content = events.slice(0, 3);
      expect(content.map((event) => field(event, 'choices', 0, 'delta', 'content'))).toEqual(['This', ' is', ' a']);
      expect(field(content[0], 'choices', 0, 'delta', 'role')).toBe('assistant');
      for (const event of events.slice(0, -1)) {
        expect(event).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o-mini' });
      }
      for (const event of events.slice(0, 4)) expect(field(event, 'usage')).toBeNull();
      expect(field(events[3], 'choices', 0, 'finish_reason')).toBe('stop');
      expect(events[4]).toMatchObject({
        choices: [],
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      });
    });

    it('sends no usage field at all without include_usage, and none with omitUsage even if asked', async () => {
      const plain = sseEvents(await (await post('/v1/chat/completions', { ...CHAT_BODY, stream: true })).text());
      expect(plain).toHaveLength(5 + 1 + 1);
      for (const event of plain.slice(0, -1)) expect(isRecord(event) && 'usage' in event).toBe(false);

      const omitted = sseEvents(
        await (
          await post(
            '/v1/chat/completions',
            { ...CHAT_BODY, stream: true, stream_options: { include_usage: true } },
            {
              'x-fake-omit-usage': '1',
            },
          )
        ).text(),
      );
      expect(omitted).toHaveLength(5 + 1 + 1);
      expect(omitted.some((event) => isRecord(event) && event.usage)).toBe(false);
    });

    it('paces chunks by chunkIntervalMs', async () => {
      const started = Date.now();
      const response = await post(
        '/v1/chat/completions',
        { ...CHAT_BODY, stream: true },
        {
          'x-fake-chunks': '4',
          'x-fake-chunk-interval-ms': '40',
        },
      );
      expect(sseEvents(await response.text())).toHaveLength(4 + 1 + 1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);
    });

    it.each([
      ['in one write', '0'],
      ['while pacing', '5'],
    ])('drops the connection after K chunks (%s)', async (_label, interval) => {
      const response = await post(
        '/v1/chat/completions',
        { ...CHAT_BODY, stream: true },
        {
          'x-fake-chunks': '5',
          'x-fake-drop-after-chunks': '2',
          'x-fake-chunk-interval-ms': interval,
        },
      );
      expect(response.status).toBe(200);
      const { text, error } = await readUntilError(response);
      expect(String(error)).toMatch(/terminated/);
      const events = sseEvents(text);
      expect(events).toHaveLength(2);
      expect(events).not.toContain('[DONE]');
    });

    it('drops right after the status line with dropAfterChunks 0', async () => {
      const response = await post(
        '/v1/chat/completions',
        { ...CHAT_BODY, stream: true },
        { 'x-fake-drop-after-chunks': '0' },
      );
      expect(response.status).toBe(200);
      const { text, error } = await readUntilError(response);
      expect(String(error)).toMatch(/terminated/);
      expect(text).toBe('');
    });

    it('waits latencyMs before answering', async () => {
      const started = Date.now();
      expect((await post('/v1/chat/completions', CHAT_BODY, { 'x-fake-latency-ms': '60' })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    });

    it('rejects a missing model or messages with OpenAI wording', async () => {
      const response = await post('/v1/chat/completions', { model: 'gpt-4o-mini' });
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({
        error: {
          message: "Missing required parameter: 'messages'.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'missing_required_parameter',
        },
      });
    });
  });

  describe('forced errors', () => {
    it('answers 429 with Retry-After and an OpenAI error body', async () => {
      const response = await post('/v1/chat/completions', CHAT_BODY, {
        'x-fake-status': '429',
        'x-fake-retry-after': '7',
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await json(response)).toEqual({
        error: {
          message: expect.stringContaining('Rate limit'),
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
    });

    it.each([
      [401, undefined, 'invalid_request_error', 'invalid_api_key'],
      [429, 'insufficient_quota', 'insufficient_quota', 'insufficient_quota'],
      [500, undefined, 'server_error', null],
      [503, undefined, 'server_error', null],
      [403, undefined, 'request_forbidden', 'unsupported_country_region_territory'],
      [400, 'context_length_exceeded', 'invalid_request_error', 'context_length_exceeded'],
    ])('status %i with errorCode %s → type %s, code %s', async (status, errorCode, type, code) => {
      const headers: Record<string, string> = { 'x-fake-status': String(status) };
      if (errorCode) headers['x-fake-error-code'] = errorCode;
      const response = await post('/v1/chat/completions', CHAT_BODY, headers);
      expect(response.status).toBe(status);
      expect(response.headers.get('retry-after')).toBeNull();
      expect(field(await json(response), 'error')).toEqual({ message: expect.any(String), type, param: null, code });
    });

    it('rejects an unparsable control header with a 400 instead of ignoring it', async () => {
      const response = await post('/v1/chat/completions', CHAT_BODY, { 'x-fake-status': 'soon' });
      expect(response.status).toBe(400);
      expect(field(await json(response), 'error', 'code')).toBe('invalid_fake_control');
    });

    it('answers bad JSON with a 400 and still records the request', async () => {
      const response = await post('/v1/chat/completions', '{"model": ');
      expect(response.status).toBe(400);
      expect(field(await json(response), 'error', 'type')).toBe('invalid_request_error');
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: undefined });
    });

    it('answers an unknown path or method with an OpenAI-shaped 404', async () => {
      const response = await fetch(`${fake.url}/v1/nothing-here?x=1`);
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({
        error: {
          message: 'Invalid URL (GET /v1/nothing-here)',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      expect((await fetch(`${fake.url}/v1/chat/completions`)).status).toBe(404);
    });
  });

  describe('controls without headers', () => {
    it('applies one-shot queued controls to the next inference requests in order (HTTP control plane)', async () => {
      const queued = await post('/__control/queue', [{ status: 429, retryAfter: 1 }, { status: 200 }, { chunks: 1 }]);
      expect(await json(queued)).toEqual({ queued: 3 });

      // Model listing is not an inference call and must not eat a queued failure.
      expect((await fetch(`${fake.url}/v1/models`)).status).toBe(200);

      const first = await post('/v1/chat/completions', CHAT_BODY);
      expect(first.status).toBe(429);
      expect(first.headers.get('retry-after')).toBe('1');
      expect((await post('/v1/chat/completions', CHAT_BODY)).status).toBe(200);
      expect(field(await json(await post('/v1/chat/completions', CHAT_BODY)), 'choices', 0, 'message', 'content')).toBe(
        'This',
      );
      expect(field(await json(await post('/v1/chat/completions', CHAT_BODY)), 'choices', 0, 'message', 'content')).toBe(
        'This is a fake answer.',
      );
    });

    it('lets headers override a queued control', async () => {
      fake.enqueue([{ status: 500 }]);
      expect((await post('/v1/chat/completions', CHAT_BODY, { 'x-fake-status': '200' })).status).toBe(200);
      expect(fake.controls().queue).toEqual([]);
    });

    it('applies per-model controls set in-process', async () => {
      fake.setDefaults({ byModel: { 'broken-model': { status: 503, retryAfter: 3 } } });
      const broken = await post('/v1/chat/completions', { ...CHAT_BODY, model: 'broken-model' });
      expect(broken.status).toBe(503);
      expect(broken.headers.get('retry-after')).toBe('3');
      expect((await post('/v1/chat/completions', CHAT_BODY)).status).toBe(200);
    });

    it('scales the reported input tokens of a model by its inputTokenFactor (chat, completions, embeddings)', async () => {
      fake.setDefaults({ byModel: { 'wordy-tokenizer': { inputTokenFactor: 1.4 } } });
      const model = 'wordy-tokenizer';
      const prompt = 'a'.repeat(400);
      const chat = await json(
        await post('/v1/chat/completions', { model, messages: [{ role: 'user', content: prompt }] }),
      );
      const completion = await json(await post('/v1/completions', { model, prompt }));
      const embedding = await json(await post('/v1/embeddings', { model, input: prompt }));
      expect([chat, completion, embedding].map((answer) => field(answer, 'usage', 'prompt_tokens'))).toEqual([
        140, 140, 140,
      ]);
      const plain = await json(await post('/v1/embeddings', { model: 'other', input: prompt }));
      expect(field(plain, 'usage', 'prompt_tokens')).toBe(100);
    });

    it('applies defaults and per-model controls set over HTTP, and resets them', async () => {
      const set = await post('/__control', { chunks: 2, byModel: { 'long-model': { chunks: 6 } } });
      expect(set.status).toBe(200);
      expect(await json(set)).toEqual({ defaults: { chunks: 2 }, byModel: { 'long-model': { chunks: 6 } }, queue: [] });

      const short = await json(await post('/v1/chat/completions', CHAT_BODY));
      expect(field(short, 'choices', 0, 'message', 'content')).toBe('This is');
      const long = await json(await post('/v1/chat/completions', { ...CHAT_BODY, model: 'long-model' }));
      expect(field(long, 'usage', 'completion_tokens')).toBe(6);

      await post('/__control/reset', {});
      expect(await json(await fetch(`${fake.url}/__control`))).toEqual({ defaults: {}, byModel: {}, queue: [] });
      expect(field(await json(await post('/v1/chat/completions', CHAT_BODY)), 'usage', 'completion_tokens')).toBe(5);
    });

    it('rejects unknown or invalid controls on the control plane', async () => {
      const typo = await post('/__control', { latency: 100 });
      expect(typo.status).toBe(400);
      expect(field(await json(typo), 'error', 'message')).toContain('unknown control "latency"');
      expect((await post('/__control/queue', { status: 429 })).status).toBe(400);
      expect((await post('/__control', { status: 42 })).status).toBe(400);
    });
  });

  describe('recorded requests', () => {
    it('records method, path, headers and parsed body, readable in-process and over HTTP', async () => {
      const body = { ...CHAT_BODY, stream: true, stream_options: { include_usage: true } };
      await (await post('/v1/chat/completions', body)).text();

      const [recorded] = fake.requests;
      expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body });
      expect(recorded.headers.authorization).toBe('Bearer sk-upstream');
      expect(Math.abs(recorded.receivedAt - Date.now())).toBeLessThan(5_000);

      const overHttp = await json(await fetch(`${fake.url}/__requests`));
      expect(overHttp).toEqual([JSON.parse(JSON.stringify(recorded)) as unknown]);

      // Control-plane calls are never recorded; DELETE empties the log.
      expect((await fetch(`${fake.url}/__requests`, { method: 'DELETE' })).status).toBe(200);
      expect(fake.requests).toEqual([]);
    });

    it('keeps only the most recent requests', async () => {
      const small = await startFakeProvider({ maxRecordedRequests: 2 });
      try {
        for (const model of ['a', 'b', 'c']) {
          await fetch(`${small.url}/v1/models/${model}`);
        }
        expect(small.requests.map((request) => request.path)).toEqual(['/v1/models/b', '/v1/models/c']);
      } finally {
        await small.close();
      }
    });
  });

  describe('other endpoints', () => {
    it('answers legacy completions, streamed with usage', async () => {
      const body = { model: 'gpt-3.5-turbo-instruct', prompt: 'Say something fake', max_tokens: 16 };
      const plain = await json(await post('/v1/completions', body));
      expect(plain).toMatchObject({
        object: 'text_completion',
        model: 'gpt-3.5-turbo-instruct',
        choices: [{ text: 'This is a fake answer.', index: 0, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
      });
      const streamed = sseEvents(
        await (
          await post('/v1/completions', { ...body, stream: true, stream_options: { include_usage: true } })
        ).text(),
      );
      expect(
        streamed
          .slice(0, 5)
          .map((event) => field(event, 'choices', 0, 'text'))
          .join(''),
      ).toBe('This is a fake answer.');
      expect(streamed.at(-2)).toMatchObject({ choices: [], usage: { total_tokens: 10 } });
      expect(streamed.at(-1)).toBe('[DONE]');
    });

    it('answers embeddings as floats or base64 float32, the same vectors both ways', async () => {
      const body = { model: 'text-embedding-3-small', input: ['alpha', 'beta'] };
      const floats = await json(await post('/v1/embeddings', body));
      expect(floats).toMatchObject({
        object: 'list',
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 3, total_tokens: 3 },
      });
      expect(field(floats, 'data', 0)).toEqual({ object: 'embedding', index: 0, embedding: fakeEmbedding('alpha') });
      expect(fakeEmbedding('alpha')).toHaveLength(8);
      expect(fakeEmbedding('alpha')).not.toEqual(fakeEmbedding('beta'));

      const base64 = await json(await post('/v1/embeddings', { ...body, encoding_format: 'base64' }));
      const encoded = field(base64, 'data', 1, 'embedding');
      expect(typeof encoded).toBe('string');
      const bytes = Buffer.from(String(encoded), 'base64');
      const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
      expect(decoded).toEqual(field(floats, 'data', 1, 'embedding'));

      const single = await json(await post('/v1/embeddings', { model: 'e', input: 'one', dimensions: 3 }));
      expect(field(single, 'data')).toEqual([{ object: 'embedding', index: 0, embedding: fakeEmbedding('one', 3) }]);
    });

    it('answers speech with fixed binary audio', async () => {
      const response = await post('/v1/audio/speech', { model: 'tts-1', input: 'Hello', voice: 'alloy' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      const audio = Buffer.from(await response.arrayBuffer());
      expect(audio.length).toBe(1024);
      expect(audio.equals(FAKE_SPEECH)).toBe(true);
    });

    it('answers image generations with n urls or base64 images', async () => {
      const urls = await json(await post('/v1/images/generations', { model: 'dall-e-3', prompt: 'a cat', n: 2 }));
      expect(field(urls, 'data')).toEqual([{ url: expect.stringMatching(/^https:\/\//) }, { url: expect.any(String) }]);
      expect(typeof field(urls, 'created')).toBe('number');
      const b64 = await json(await post('/v1/images/generations', { prompt: 'a cat', response_format: 'b64_json' }));
      expect(field(b64, 'data', 0, 'b64_json')).toEqual(expect.any(String));
    });

    it('answers moderations, flagging only the marker text', async () => {
      const result = await json(await post('/v1/moderations', { input: ['fine text', 'this is fake-flag content'] }));
      expect(field(result, 'model')).toBe('omni-moderation-latest');
      expect(field(result, 'results', 0, 'flagged')).toBe(false);
      expect(field(result, 'results', 1, 'flagged')).toBe(true);
      expect(field(result, 'results', 1, 'categories', 'harassment')).toBe(true);
    });

    it('lists and retrieves models', async () => {
      const list = await json(await fetch(`${fake.url}/v1/models`));
      expect(field(list, 'object')).toBe('list');
      expect(field(list, 'data', 0)).toEqual({
        id: 'fake-model',
        object: 'model',
        created: expect.any(Number),
        owned_by: 'fake-provider',
      });
      const one = await json(await fetch(`${fake.url}/v1/models/ft:gpt-4o:acme:custom`));
      expect(field(one, 'id')).toBe('ft:gpt-4o:acme:custom');
    });
  });
});

describe('fake provider lifecycle', () => {
  it('uses start options as defaults and validates them', async () => {
    const fake = await startFakeProvider({ chunks: 1, byModel: { m: { status: 401 } } });
    try {
      const response = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'other', messages: [] }),
      });
      expect(field(await response.json(), 'choices', 0, 'message', 'content')).toBe('This');
      const unauthorized = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [] }),
      });
      expect(unauthorized.status).toBe(401);
    } finally {
      await fake.close();
    }
    await expect(startFakeProvider({ latencyMs: -1 })).rejects.toThrow('latencyMs');
  });

  it('lets a hanging request be aborted by the client, and close() ends the ones still hanging', async () => {
    const fake = await startFakeProvider({ hang: true });
    const send = (signal?: AbortSignal): Promise<Response> =>
      fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(CHAT_BODY), signal });

    await expect(send(AbortSignal.timeout(100))).rejects.toThrow();

    const pending = send();
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await eventually(() => expect(fake.requests).toHaveLength(2));
    const closedAt = Date.now();
    await fake.close();
    expect(Date.now() - closedAt).toBeLessThan(1_000);
    expect(await outcome).toBe('failed');
    await fake.close(); // idempotent
  });

  it('close() also ends a slow stream and a pending latency', async () => {
    const fake = await startFakeProvider({ port: 0 });
    const arrived = { text: '' };
    const streaming = fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-fake-chunk-interval-ms': '10000' },
      body: JSON.stringify({ ...CHAT_BODY, stream: true }),
    }).then(async (response) => readUntilError(response, arrived));
    const waiting = fetch(`${fake.url}/v1/models`, { headers: { 'x-fake-latency-ms': '10000' } }).then(
      () => 'answered',
      () => 'failed',
    );
    await eventually(() => expect(fake.requests).toHaveLength(2));
    // The first chunk is out; the next one is 10 s away.
    await eventually(() => expect(sseEvents(arrived.text)).toHaveLength(1));
    await fake.close();
    const streamed = await streaming;
    expect(sseEvents(streamed.text)).toHaveLength(1);
    expect(String(streamed.error)).toMatch(/terminated/);
    expect(await waiting).toBe('failed');
  });
});
