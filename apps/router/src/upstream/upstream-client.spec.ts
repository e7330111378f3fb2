import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { providerFor, UpstreamHttp, type UpstreamCall } from '@tollgate/providers';
import { FakeUpstream, json } from '../testing/fake-upstream.js';
import { sendUpstream } from './upstream-client.js';

const KEY = 'sk-upstream-test-key-abcd';
const TIMEOUTS = { connectMs: 1000, firstByteMs: 2000, idleMs: 2000 };

const openai = providerFor('openai');
const target = (baseUrl: string) => ({ baseUrl, apiKey: KEY, apiVersion: null });

describe(sendUpstream.name, () => {
  let upstream: FakeUpstream;
  const http = new UpstreamHttp(4);
  const send = (call: UpstreamCall, timeouts = TIMEOUTS) =>
    sendUpstream({
      http,
      adapter: openai,
      call,
      channel: { channelId: 1, timeouts },
      totalTimeoutMs: 5000,
      secret: KEY,
    });

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
  });

  afterAll(async () => {
    await http.close();
    await upstream.stop();
  });

  it('sends the OpenAI key check (GET {baseUrl}/models with the key) and reports 2xx', async () => {
    upstream.handler = (_req, res) => json(res, 200, { object: 'list', data: [] });
    const result = await send(openai.keyCheck(target(upstream.baseUrl)));
    expect(result).toMatchObject({ status: 200, error: null, errorCode: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/models', authorization: `Bearer ${KEY}` });
  });

  it('sends the smallest chat completion for a channel test', async () => {
    upstream.handler = (_req, res) => json(res, 200, { object: 'chat.completion', choices: [] });
    await send(openai.testCompletion(target(upstream.baseUrl), 'gpt-4o-2024'));
    const seen = upstream.seen.at(-1);
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(JSON.parse(seen?.body ?? '{}')).toMatchObject({ model: 'gpt-4o-2024', max_tokens: 1, stream: false });
  });

  it('reports the upstream error message and code, with the key scrubbed if echoed', async () => {
    upstream.handler = (_req, res) =>
      json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${KEY}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      });
    const result = await send(openai.keyCheck(target(upstream.baseUrl)));
    expect(result).toMatchObject({ status: 401, errorCode: 'invalid_api_key' });
    expect(result.error).toContain('Incorrect API key provided');
    expect(result.error).not.toContain(KEY);
  });

  it('reports status 0 when the upstream does not answer in time', async () => {
    upstream.handler = () => undefined;
    const result = await send(openai.keyCheck(target(upstream.baseUrl)), { ...TIMEOUTS, firstByteMs: 200 });
    expect(result.status).toBe(0);
    expect(result.error).toBeTruthy();
  });

  it('reports status 0 when nothing listens', async () => {
    const result = await send(openai.keyCheck(target('http://127.0.0.1:9/v1')));
    expect(result.status).toBe(0);
    expect(result.error).toMatch(/ECONNREFUSED|connect/i);
  });
});
