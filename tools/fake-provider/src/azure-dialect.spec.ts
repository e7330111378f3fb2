import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fakeEmbedding } from './embeddings.handler.js';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { FAKE_SPEECH } from './speech.handler.js';
import { field, sseEvents } from './testing/http-helpers.js';

const KEY = 'azure-upstream-key';
const VERSION = 'api-version=2024-10-21';
const CHAT = '/openai/deployments/prod-4o/chat/completions';
const BODY = { messages: [{ role: 'user', content: 'Hello there, fake!' }] }; // 18 characters

describe('fake provider: Azure OpenAI', () => {
  let fake: FakeProvider;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': KEY, ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await startFakeProvider({
      port: 0,
      azureDeployments: { 'prod-4o': 'gpt-4o-2024-08-06', embed: 'text-embedding-3-small', voice: 'tts-1' },
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it("answers OpenAI's chat.completion with the deployment's model, whatever the body says", async () => {
    const response = await post(`${CHAT}?${VERSION}`, { ...BODY, model: 'ignored' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-2024-08-06',
      choices: [{ message: { role: 'assistant', content: 'This is a fake answer.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    });
  });

  it('streams like OpenAI, tool calls included', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
    const events = sseEvents(await (await post(`${CHAT}?${VERSION}`, { ...BODY, tools, stream: true })).text());
    expect(events.at(-1)).toBe('[DONE]');
    expect(field(events[0], 'model')).toBe('gpt-4o-2024-08-06');
    expect(field(events[0], 'choices', 0, 'delta', 'tool_calls', 0, 'function', 'name')).toBe('lookup');
    expect(field(events.at(-2), 'choices', 0, 'finish_reason')).toBe('tool_calls');
  });

  it('serves embeddings and speech on their deployments', async () => {
    const embeddings = await post(`/openai/deployments/embed/embeddings?${VERSION}`, { input: 'alpha' });
    expect(await embeddings.json()).toMatchObject({
      model: 'text-embedding-3-small',
      data: [{ embedding: fakeEmbedding('alpha') }],
    });
    const speech = await post(`/openai/deployments/voice/audio/speech?${VERSION}`, { input: 'Hi', voice: 'alloy' });
    expect(Buffer.from(await speech.arrayBuffer()).equals(FAKE_SPEECH)).toBe(true);
  });

  it('answers an unknown deployment with DeploymentNotFound and an unknown operation with 404', async () => {
    const unknown = await post(`/openai/deployments/nope/chat/completions?${VERSION}`, BODY);
    expect(unknown.status).toBe(404);
    expect(field(await unknown.json(), 'error', 'code')).toBe('DeploymentNotFound');
    const operation = await post(`/openai/deployments/prod-4o/moderations?${VERSION}`, BODY);
    expect(operation.status).toBe(404);
    expect(await operation.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('requires api-version: 404 without it, 400 when malformed', async () => {
    const missing = await post(CHAT, BODY);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
    const malformed = await post(`${CHAT}?api-version=latest`, BODY);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'BadRequest', message: 'API version not supported' } });
    expect((await post(`${CHAT}?api-version=2025-04-01-preview`, BODY)).status).toBe(200);
  });

  it('requires an api-key header; a Bearer token is not a key', async () => {
    const bearer = await fetch(`${fake.url}${CHAT}?${VERSION}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: JSON.stringify(BODY),
    });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toEqual({ error: { code: '401', message: expect.stringContaining('Access denied') } });
  });

  it('forces 429 in Azure shape with both retry headers, and 500 in OpenAI shape', async () => {
    const limited = await post(`${CHAT}?${VERSION}`, BODY, { 'x-fake-status': '429', 'x-fake-retry-after': '2' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('2000');
    expect(await limited.json()).toEqual({ error: { code: '429', message: expect.stringContaining('retry after 2') } });

    const failed = await post(`${CHAT}?${VERSION}`, BODY, { 'x-fake-status': '500' });
    expect(failed.status).toBe(500);
    expect(field(await failed.json(), 'error', 'type')).toBe('server_error');
  });

  it("applies per-model controls by the deployment's model", async () => {
    fake.setDefaults({ byModel: { 'gpt-4o-2024-08-06': { chunks: 2 } } });
    const json = await (await post(`${CHAT}?${VERSION}`, BODY)).json();
    expect(field(json, 'choices', 0, 'message', 'content')).toBe('This is');
  });

  it("lists the deployments' models, behind the same api-version and key checks", async () => {
    const list = await fetch(`${fake.url}/openai/models?${VERSION}`, { headers: { 'api-key': KEY } });
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(field(body, 'object')).toBe('list');
    expect((field(body, 'data') as { id: string }[]).map((model) => model.id)).toEqual([
      'gpt-4o-2024-08-06',
      'text-embedding-3-small',
      'tts-1',
    ]);
    expect(field(body, 'data', 0)).toMatchObject({ object: 'model', status: 'succeeded' });
    expect((await fetch(`${fake.url}/openai/models`, { headers: { 'api-key': KEY } })).status).toBe(404);
    expect((await fetch(`${fake.url}/openai/models?${VERSION}`)).status).toBe(401);
    expect(fake.controls().queue).toEqual([]);
  });

  it('records the dialect, the api-key header and the query', async () => {
    await (await post(`${CHAT}?${VERSION}`, BODY)).text();
    expect(fake.requests.at(-1)).toMatchObject({
      dialect: 'azure',
      path: CHAT,
      query: { 'api-version': '2024-10-21' },
      auth: { in: 'header', name: 'api-key', value: KEY, key: KEY },
    });
  });

  it('refuses a key not in apiKeys', async () => {
    const strict = await startFakeProvider({ apiKeys: [KEY] });
    try {
      const send = (key: string): Promise<Response> =>
        fetch(`${strict.url}${CHAT}?${VERSION}`, {
          method: 'POST',
          headers: { 'api-key': key },
          body: JSON.stringify(BODY),
        });
      expect((await send('wrong')).status).toBe(401);
      const ok = await send(KEY);
      expect(ok.status).toBe(200);
      // Without azureDeployments every deployment serves the model of its own name.
      expect(field(await ok.json(), 'model')).toBe('prod-4o');
    } finally {
      await strict.close();
    }
  });
});
