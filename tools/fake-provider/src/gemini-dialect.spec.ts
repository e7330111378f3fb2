import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fakeEmbedding } from './embeddings.handler.js';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { field, readUntilError, sseEvents } from './testing/http-helpers.js';

const KEY = 'AIza-fake-upstream';
const MODEL_PATH = '/v1beta/models/gemini-2.5-flash';
const BODY = {
  systemInstruction: { parts: [{ text: 'Be brief.' }] }, // 9 characters
  contents: [{ role: 'user', parts: [{ text: 'Hello there, fake!' }] }], // 18 characters
};
const WEATHER_TOOLS = [
  {
    functionDeclarations: [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: {
          type: 'OBJECT',
          properties: { city: { type: 'STRING' }, days: { type: 'INTEGER' } },
          required: ['city', 'days'],
        },
      },
    ],
  },
];

describe('fake provider: Gemini API', () => {
  let fake: FakeProvider;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const generate = (body: unknown, headers?: Record<string, string>): Promise<Response> =>
    post(`${MODEL_PATH}:generateContent`, body, headers);
  const streamSse = (body: unknown, headers?: Record<string, string>): Promise<Response> =>
    post(`${MODEL_PATH}:streamGenerateContent?alt=sse`, body, headers);

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers a GenerateContentResponse with STOP and usageMetadata', async () => {
    const response = await generate(BODY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      candidates: [{ content: { parts: [{ text: 'This is a fake answer.' }], role: 'model' }, finishReason: 'STOP' }],
      usageMetadata: {
        promptTokenCount: 7, // ceil((9 + 18) / 4)
        candidatesTokenCount: 5,
        totalTokenCount: 12,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }],
        candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: expect.stringMatching(/^fake-response-\d+$/),
    });
  });

  it('reports MAX_TOKENS for maxOutputTokens, and stops at a stop sequence', async () => {
    const capped = await (await generate({ ...BODY, generationConfig: { maxOutputTokens: 3 } })).json();
    expect(field(capped, 'candidates', 0)).toEqual({
      content: { parts: [{ text: 'This is a' }], role: 'model' },
      finishReason: 'MAX_TOKENS',
    });
    const stopped = await (await generate({ ...BODY, generationConfig: { stopSequences: [' is'] } })).json();
    expect(field(stopped, 'candidates', 0, 'content', 'parts', 0, 'text')).toBe('This');
    expect(field(stopped, 'candidates', 0, 'finishReason')).toBe('STOP');
  });

  it('counts cached content inside the prompt and thoughts outside the candidates', async () => {
    const response = await generate(BODY, {
      'x-fake-cached-tokens': '4',
      'x-fake-reasoning-tokens': '20',
      'x-fake-input-token-factor': '2',
    });
    expect(field(await response.json(), 'usageMetadata')).toEqual({
      promptTokenCount: 14, // 7 × 2, the 4 cached ones included
      candidatesTokenCount: 5,
      totalTokenCount: 39, // 14 + 5 + 20
      cachedContentTokenCount: 4,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 14 }],
      cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 4 }],
      candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
      thoughtsTokenCount: 20,
    });
    const omitted = await (await generate(BODY, { 'x-fake-omit-usage': '1' })).json();
    expect(omitted).not.toHaveProperty('usageMetadata');
  });

  it('streams SSE chunks framed with CRLF, the finish and full usage in the last one', async () => {
    const response = await streamSse(BODY, { 'x-fake-chunks': '3' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text).toMatch(/^data: \{.*\}\r\n\r\ndata: /);
    expect(text).not.toContain('[DONE]');
    const chunks = sseEvents(text);
    expect(chunks).toHaveLength(3 + 1);
    expect(chunks.slice(0, 3).map((chunk) => field(chunk, 'candidates', 0, 'content', 'parts', 0, 'text'))).toEqual([
      'This',
      ' is',
      ' a',
    ]);
    for (const chunk of chunks.slice(0, 3)) {
      expect(field(chunk, 'candidates', 0, 'finishReason')).toBeUndefined();
      expect(field(chunk, 'usageMetadata')).toEqual({
        promptTokenCount: 7,
        totalTokenCount: 7,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }],
      });
    }
    expect(chunks[3]).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 3, totalTokenCount: 10 },
      modelVersion: 'gemini-2.5-flash',
    });
  });

  it('streams a JSON array without alt=sse', async () => {
    const response = await post(`${MODEL_PATH}:streamGenerateContent`, BODY, { 'x-fake-chunks': '2' });
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const chunks = (await response.json()) as unknown[];
    expect(chunks).toHaveLength(3);
    expect(field(chunks, 2, 'candidates', 0, 'finishReason')).toBe('STOP');
  });

  it('calls the first declared function with args from its OpenAPI-style schema', async () => {
    const json = await (await generate({ ...BODY, tools: WEATHER_TOOLS })).json();
    expect(field(json, 'candidates', 0)).toEqual({
      content: { parts: [{ functionCall: { name: 'get_weather', args: { city: 'fake', days: 1 } } }], role: 'model' },
      finishReason: 'STOP',
    });

    // Gemini streams a function call whole, in one chunk.
    const chunks = sseEvents(await (await streamSse({ ...BODY, tools: WEATHER_TOOLS })).text());
    expect(chunks).toHaveLength(2);
    expect(field(chunks[0], 'candidates', 0, 'content', 'parts', 0, 'functionCall', 'name')).toBe('get_weather');
    expect(field(chunks[1], 'candidates', 0, 'finishReason')).toBe('STOP');
  });

  it('answers text after a functionResponse, with mode NONE, or when told to ignore tools', async () => {
    const afterResult = {
      tools: WEATHER_TOOLS,
      contents: [
        ...BODY.contents,
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { sky: 'sunny' } } }] },
      ],
    };
    const text = (response: unknown): unknown => field(response, 'candidates', 0, 'content', 'parts', 0, 'text');
    expect(text(await (await generate(afterResult)).json())).toBe('This is a fake answer.');
    const none = { ...BODY, tools: WEATHER_TOOLS, toolConfig: { functionCallingConfig: { mode: 'NONE' } } };
    expect(text(await (await generate(none)).json())).toBe('This is a fake answer.');
    const ignored = await generate({ ...BODY, tools: WEATHER_TOOLS }, { 'x-fake-ignore-tools': 'true' });
    expect(text(await ignored.json())).toBe('This is a fake answer.');
  });

  it('ends a stream with an in-band error chunk, or cuts it', async () => {
    const failed = sseEvents(await (await streamSse(BODY, { 'x-fake-stream-error-after-chunks': '1' })).text());
    expect(failed).toHaveLength(2);
    expect(failed[1]).toEqual({ error: { code: 500, message: expect.any(String), status: 'INTERNAL' } });

    const cut = await streamSse(BODY, { 'x-fake-drop-after-chunks': '2', 'x-fake-chunk-interval-ms': '1' });
    const { text, error } = await readUntilError(cut);
    expect(String(error)).toMatch(/terminated/);
    expect(sseEvents(text)).toHaveLength(2);
  });

  it.each([
    [429, undefined, 'RESOURCE_EXHAUSTED'],
    [500, undefined, 'INTERNAL'],
    [503, undefined, 'UNAVAILABLE'],
    [403, undefined, 'PERMISSION_DENIED'],
    [400, undefined, 'INVALID_ARGUMENT'],
    [400, 'FAILED_PRECONDITION', 'FAILED_PRECONDITION'],
  ])('forces status %i (errorCode %s) as a Gemini %s error', async (status, errorCode, googleStatus) => {
    const headers: Record<string, string> = { 'x-fake-status': String(status) };
    if (errorCode) headers['x-fake-error-code'] = errorCode;
    const response = await generate(BODY, headers);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      error: { code: status, message: expect.any(String), status: googleStatus },
    });
  });

  it('carries a retry delay as RetryInfo, not as a Retry-After header', async () => {
    const response = await generate(BODY, { 'x-fake-status': '429', 'x-fake-retry-after': '7' });
    expect(response.headers.get('retry-after')).toBeNull();
    expect(field(await response.json(), 'error', 'details')).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
    ]);
  });

  it('uses the model of the URL for per-model controls', async () => {
    fake.setDefaults({ byModel: { 'gemini-2.5-flash': { status: 503 } } });
    expect((await generate(BODY)).status).toBe(503);
    expect((await post('/v1beta/models/gemini-2.0-flash:generateContent', BODY)).status).toBe(200);
  });

  it('rejects a request without contents in Gemini wording', async () => {
    const response = await generate({ generationConfig: {} });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 400,
        message: '* GenerateContentRequest.contents: contents is not specified\n',
        status: 'INVALID_ARGUMENT',
      },
    });
    expect(field(await (await generate('{"contents": ')).json(), 'error', 'status')).toBe('INVALID_ARGUMENT');
  });

  describe('authentication', () => {
    it('takes the key from x-goog-api-key or ?key=, and records where it came from', async () => {
      await generate(BODY);
      const viaQuery = await fetch(`${fake.url}${MODEL_PATH}:generateContent?key=${KEY}`, {
        method: 'POST',
        body: JSON.stringify(BODY),
      });
      expect(viaQuery.status).toBe(200);
      expect(fake.requests.map((r) => [r.dialect, r.path, r.query, r.auth])).toEqual([
        ['gemini', `${MODEL_PATH}:generateContent`, {}, { in: 'header', name: 'x-goog-api-key', value: KEY, key: KEY }],
        ['gemini', `${MODEL_PATH}:generateContent`, { key: KEY }, { in: 'query', name: 'key', value: KEY, key: KEY }],
      ]);
    });

    it('answers a key-less request with PERMISSION_DENIED and a wrong key with INVALID_ARGUMENT', async () => {
      const keyless = await fetch(`${fake.url}${MODEL_PATH}:generateContent`, { method: 'POST', body: '{}' });
      expect(keyless.status).toBe(403);
      expect(field(await keyless.json(), 'error', 'status')).toBe('PERMISSION_DENIED');

      const strict = await startFakeProvider({ apiKeys: [KEY] });
      try {
        const wrong = await fetch(`${strict.url}${MODEL_PATH}:generateContent?key=AIza-wrong`, {
          method: 'POST',
          body: JSON.stringify(BODY),
        });
        expect(wrong.status).toBe(400);
        expect(await wrong.json()).toEqual({
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [expect.objectContaining({ reason: 'API_KEY_INVALID' })],
          },
        });
      } finally {
        await strict.close();
      }
    });
  });

  describe('other endpoints', () => {
    it('embeds one content or a batch, with the same vectors as OpenAI embeddings', async () => {
      const one = await post('/v1beta/models/text-embedding-004:embedContent', {
        content: { parts: [{ text: 'alpha' }] },
      });
      expect(await one.json()).toEqual({ embedding: { values: fakeEmbedding('alpha') } });

      const batch = await post('/v1beta/models/text-embedding-004:batchEmbedContents', {
        requests: [
          { model: 'models/text-embedding-004', content: { parts: [{ text: 'alpha' }] } },
          { model: 'models/text-embedding-004', content: { parts: [{ text: 'beta' }] }, outputDimensionality: 3 },
        ],
      });
      expect(await batch.json()).toEqual({
        embeddings: [{ values: fakeEmbedding('alpha') }, { values: fakeEmbedding('beta', 3) }],
      });
      expect((await post('/v1beta/models/text-embedding-004:embedContent', {})).status).toBe(400);
    });

    it('counts tokens without consuming the queue', async () => {
      fake.enqueue([{ status: 429 }]);
      const response = await post(`${MODEL_PATH}:countTokens`, BODY);
      expect(await response.json()).toEqual({
        totalTokens: 7,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }],
      });
      const wrapped = await post(`${MODEL_PATH}:countTokens`, { generateContentRequest: { model: 'x', ...BODY } });
      expect(field(await wrapped.json(), 'totalTokens')).toBe(7);
      expect(fake.controls().queue).toHaveLength(1);
    });

    it('lists and gets models in Gemini shape', async () => {
      const list = await (await fetch(`${fake.url}/v1beta/models`, { headers: { 'x-goog-api-key': KEY } })).json();
      expect(field(list, 'models', 0)).toMatchObject({
        name: 'models/gemini-2.5-flash',
        displayName: 'Gemini 2.5 Flash',
        supportedGenerationMethods: expect.arrayContaining(['generateContent']),
      });
      const one = await (await fetch(`${fake.url}/v1beta/models/gemini-x?key=${KEY}`)).json();
      expect(field(one, 'name')).toBe('models/gemini-x');
    });

    it('serves the stable v1 path too, and answers an unknown method with its 404', async () => {
      expect((await post('/v1/models/gemini-2.5-flash:generateContent', BODY)).status).toBe(200);
      const unknown = await post(`${MODEL_PATH}:predictLongRunning`, BODY);
      expect(unknown.status).toBe(404);
      expect(field(await unknown.json(), 'error', 'status')).toBe('NOT_FOUND');
    });
  });
});
