import { beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI, { APIError } from 'openai';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { apiError, openaiClient } from './support/openai-client.js';
import { useSuite, type Suite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;
const BODY_LIMIT_BYTES = 64 * 1024;

/** Asserts the documented error as the SDK surfaces it: status, message word for word, code, tid (body = header). */
function expectDocumented(error: APIError, status: number, message: string, code: string | null): void {
  expect(error.status).toBe(status);
  expect(error.message).toBe(`${status} ${message}`);
  expect(error.error).toEqual({
    message,
    type: expect.any(String),
    param: null,
    code,
    tid: expect.stringMatching(TID),
  });
  expect(error.headers?.get('x-tid')).toBe((error.error as { tid: string }).tid);
}

async function raw(
  suite: Suite,
  path: string,
  init: { key?: string; body?: string | Buffer; contentType?: string | null; method?: string },
): Promise<{ status: number; tid: string | null; error: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(`${suite.edgeUrl}${path}`, { method: init.method ?? 'POST', headers, body: init.body });
  const body = (await response.json()) as { error: Record<string, unknown> };
  return { status: response.status, tid: response.headers.get('x-tid'), error: body.error };
}

describe('OpenAI API surface: documented errors', () => {
  const suite = useSuite({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) } });
  let customer: Customer;
  let client: OpenAI;

  beforeAll(async () => {
    customer = await createCustomer(suite, { balance: '5' });
    client = openaiClient(suite, customer.key);
  });

  describe('every 400 row of the documented table, word for word, with a tid', () => {
    it('prompt_missing: an image request without a prompt', async () => {
      const error = await apiError(() =>
        client.images.generate({ model: 'dall-e-3' } as unknown as OpenAI.Images.ImageGenerateParamsNonStreaming),
      );
      expectDocumented(error, 400, 'prompt is required', 'prompt_missing');
    });

    it('prompt_too_long: a prompt longer than the model allows (dall-e-2: 1,000 characters)', async () => {
      const error = await apiError(() => client.images.generate({ model: 'dall-e-2', prompt: 'x'.repeat(1_001) }));
      expectDocumented(error, 400, 'prompt is too long', 'prompt_too_long');
    });

    it('size_not_supported: a size the model does not offer', async () => {
      const error = await apiError(() =>
        client.images.generate({ model: 'dall-e-3', prompt: 'a cat', size: '256x256' }),
      );
      expectDocumented(error, 400, 'size not supported', 'size_not_supported');
    });

    it('n_not_within_range: n outside the model range (dall-e-3: exactly 1)', async () => {
      const error = await apiError(() => client.images.generate({ model: 'dall-e-3', prompt: 'a cat', n: 2 }));
      expectDocumented(error, 400, 'invalid value of n', 'n_not_within_range');
    });

    it('text_too_long: speech input over 4,096 characters', async () => {
      const error = await apiError(() =>
        client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'x'.repeat(4_097) }),
      );
      expectDocumented(error, 400, 'input is too long', 'text_too_long');
    });

    it('invalid channel ID: an admin key pinned to a channel that does not exist', async () => {
      const error = await apiError(() =>
        openaiClient(suite, `${suite.rootKey}-999999`).chat.completions.create({
          model: 'e2e-anything',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      );
      expectDocumented(error, 400, 'Bad Request – invalid channel ID.', null);
    });
  });

  it('authenticates before it validates: a bad body without a key is a 401', async () => {
    const error = await apiError(() =>
      openaiClient(suite, '').images.generate({} as unknown as OpenAI.Images.ImageGenerateParamsNonStreaming),
    );
    expect(error.status).toBe(401);
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'hi' }] }, 'model', 'model is required'],
    [{ model: 7, messages: [{ role: 'user', content: 'hi' }] }, 'model', 'model must be a string'],
    [{ model: 'm', messages: 'hi' }, 'messages', 'messages must be a non-empty array'],
    [{ model: 'm', messages: [{ role: 'user', content: 'hi' }], n: '2' }, 'n', 'n must be an integer'],
    [{ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: 'yes' }, 'stream', 'stream must be a boolean'],
    [
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: -5 },
      'max_tokens',
      'max_tokens must be at least 1',
    ],
  ])('refuses a wrong body %j as invalid_request naming %s', async (body, param, detail) => {
    const response = await raw(suite, '/v1/chat/completions', { key: customer.key, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(response.error).toEqual({
      message: `Invalid request: ${detail}`,
      type: 'invalid_request_error',
      param,
      code: 'invalid_request',
      tid: response.tid,
    });
  });

  it('refuses a body that is not a JSON object', async () => {
    const response = await raw(suite, '/v1/embeddings', { key: customer.key, body: '[1,2]' });
    expect(response.status).toBe(400);
    expect(response.error).toMatchObject({ code: 'invalid_request', param: 'body', tid: response.tid });
  });

  it('refuses malformed JSON with 400 malformed_json and a tid', async () => {
    const response = await raw(suite, '/v1/chat/completions', { key: customer.key, body: '{"model": "m",' });
    expect(response.status).toBe(400);
    expect(response.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'malformed_json',
      tid: expect.stringMatching(TID),
    });
    expect(response.error.tid).toBe(response.tid);
  });

  it('refuses a body over the size limit with 413', async () => {
    const body = JSON.stringify({ model: 'm', input: 'x'.repeat(BODY_LIMIT_BYTES) });
    const response = await raw(suite, '/v1/embeddings', { key: customer.key, body });
    expect(response.status).toBe(413);
    expect(response.error).toMatchObject({ code: 'payload_too_large', tid: response.tid });
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], [null]])(
    'refuses the content type %s with 415',
    async (contentType) => {
      const response = await raw(suite, '/v1/chat/completions', { key: customer.key, body: 'model=m', contentType });
      expect(response.status).toBe(415);
      expect(response.error).toMatchObject({ code: 'unsupported_media_type', tid: response.tid });
    },
  );

  it('answers an unknown path with an OpenAI-shaped 404', async () => {
    const response = await raw(suite, '/v1/assistants-nope', { key: customer.key, body: '{}' });
    expect(response.status).toBe(404);
    expect(response.error).toMatchObject({ type: 'invalid_request_error', tid: response.tid });
  });

  it("passes an upstream 400 through, status and body, with the tid added inside 'error'", async () => {
    await createChannel(suite, { models: ['e2e-refused'] });
    await setPrice(suite, 'e2e-refused');
    suite.fake.enqueue([{ status: 400, errorCode: 'context_length_exceeded' }]);
    const error = await apiError(() =>
      client.chat.completions.create({ model: 'e2e-refused', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.error).toMatchObject({ type: 'invalid_request_error', tid: expect.stringMatching(TID) });
    expect((error.error as { tid: string }).tid).toBe(error.headers?.get('x-tid'));
  });

  it('passes an upstream 400 through for a stream request too, before any event', async () => {
    suite.fake.enqueue([{ status: 400, errorCode: 'invalid_value' }]);
    const error = await apiError(() =>
      client.chat.completions.create({
        model: 'e2e-refused',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_value');
    expect((error.error as { tid: string }).tid).toMatch(TID);
  });

  it('answers the documented 503 "Rate limited by provider" when every channel is rate limited', async () => {
    await createChannel(suite, { models: ['e2e-limited'] });
    await setPrice(suite, 'e2e-limited');
    suite.fake.setDefaults({ byModel: { 'e2e-limited': { status: 429, retryAfter: 7 } } });
    const error = await apiError(() =>
      client.chat.completions.create({ model: 'e2e-limited', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expectDocumented(
      error,
      503,
      'Rate limited by provider – contact support to request higher concurrency or try again later.',
      null,
    );
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it("answers 504 upstream_timeout when the upstream's first byte is later than the channel allows", async () => {
    await createChannel(suite, { models: ['e2e-slow'], timeouts: { first_byte_ms: 300 } });
    await setPrice(suite, 'e2e-slow');
    suite.fake.setDefaults({ byModel: { 'e2e-slow': { latencyMs: 10_000 } } });
    const error = await apiError(() =>
      client.chat.completions.create({ model: 'e2e-slow', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expectDocumented(
      error,
      504,
      'The upstream provider did not answer in time; please try again later.',
      'upstream_timeout',
    );
  });

  it('answers 502 upstream_unavailable when the upstream cannot be reached', async () => {
    await createChannel(suite, { models: ['e2e-unreachable'], base_url: 'http://127.0.0.1:9/v1' });
    await setPrice(suite, 'e2e-unreachable');
    const error = await apiError(() =>
      client.chat.completions.create({ model: 'e2e-unreachable', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expectDocumented(
      error,
      502,
      'The upstream provider could not be reached; please try again later.',
      'upstream_unavailable',
    );
  });
});
