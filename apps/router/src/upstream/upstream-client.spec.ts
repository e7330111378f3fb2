import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openAiAdapter } from '../providers/openai.adapter.js';
import { FakeUpstream, json } from '../testing/fake-upstream.js';
import { sendUpstream } from './upstream-client.js';

const KEY = 'sk-upstream-test-key-abcd';
const TIMEOUTS = { connectMs: 1000, firstByteMs: 2000, idleMs: 2000 };

describe(sendUpstream.name, () => {
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
  });

  afterAll(async () => {
    await upstream.stop();
  });

  it('sends the OpenAI key check (GET {baseUrl}/models with the key) and reports 2xx', async () => {
    upstream.handler = (_req, res) => json(res, 200, { object: 'list', data: [] });
    const result = await sendUpstream(
      openAiAdapter.keyCheck({ baseUrl: upstream.baseUrl, apiKey: KEY }),
      TIMEOUTS,
      5000,
      KEY,
    );
    expect(result).toMatchObject({ status: 200, error: null, errorCode: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/models', authorization: `Bearer ${KEY}` });
  });

  it('sends the smallest chat completion for a channel test', async () => {
    upstream.handler = (_req, res) => json(res, 200, { object: 'chat.completion', choices: [] });
    await sendUpstream(
      openAiAdapter.testCompletion({ baseUrl: upstream.baseUrl, apiKey: KEY }, 'gpt-4o-2024'),
      TIMEOUTS,
      5000,
      KEY,
    );
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
    const result = await sendUpstream(
      openAiAdapter.keyCheck({ baseUrl: upstream.baseUrl, apiKey: KEY }),
      TIMEOUTS,
      5000,
      KEY,
    );
    expect(result).toMatchObject({ status: 401, errorCode: 'invalid_api_key' });
    expect(result.error).toContain('Incorrect API key provided');
    expect(result.error).not.toContain(KEY);
  });

  it('reports status 0 when the upstream does not answer in time', async () => {
    upstream.handler = () => undefined;
    const result = await sendUpstream(
      openAiAdapter.keyCheck({ baseUrl: upstream.baseUrl, apiKey: KEY }),
      { ...TIMEOUTS, firstByteMs: 200 },
      5000,
      KEY,
    );
    expect(result.status).toBe(0);
    expect(result.error).toBeTruthy();
  });

  it('reports status 0 when nothing listens', async () => {
    const result = await sendUpstream(
      openAiAdapter.keyCheck({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY }),
      TIMEOUTS,
      5000,
      KEY,
    );
    expect(result.status).toBe(0);
    expect(result.error).toMatch(/ECONNREFUSED|connect/i);
  });
});
