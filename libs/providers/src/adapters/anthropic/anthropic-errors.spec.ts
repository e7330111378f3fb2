import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import { providerFor, servesEndpoint } from '../../providers.js';
import { ERRORS, MODEL_LIST } from './anthropic.fixtures.js';

const anthropic = providerFor('anthropic');
const target = { baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test-0123456789', apiVersion: null };

describe('anthropic errors and channel calls', () => {
  it("retries overload, rate limits, provider errors and the channel's own account failing", () => {
    const cases: Array<[number, JsonObject, string]> = [
      [529, ERRORS.overloaded, 'overloaded_error'],
      [429, ERRORS.rateLimit, 'rate_limit_error'],
      [500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }, 'api_error'],
      [401, ERRORS.authentication, 'authentication_error'],
      [402, ERRORS.billing, 'billing_error'],
      [403, ERRORS.permission, 'permission_error'],
    ];
    for (const [status, body, code] of cases) {
      expect(anthropic.classify(status, body)).toEqual({ retryable: true, errorCode: code });
    }
  });

  it("passes the request's own errors on", () => {
    expect(anthropic.classify(400, ERRORS.invalidRequest)).toEqual({
      retryable: false,
      errorCode: 'invalid_request_error',
    });
    expect(anthropic.classify(404, ERRORS.notFound).retryable).toBe(false);
    expect(anthropic.classify(413, null)).toEqual({ retryable: false, errorCode: null });
  });

  it('counts a rejected key and failed billing as a dead key, not a key refused one resource', () => {
    expect(anthropic.deadKeyErrorCodes.has('authentication_error')).toBe(true);
    expect(anthropic.deadKeyErrorCodes.has('billing_error')).toBe(true);
    expect(anthropic.deadKeyErrorCodes.has('permission_error')).toBe(false);
    expect(anthropic.deadKeyErrorCodes.has('overloaded_error')).toBe(false);
  });

  it("gives the client Anthropic's error in OpenAI's shape, its type as the code", () => {
    expect(anthropic.clientError(400, ERRORS.invalidRequest, Buffer.from(''))).toEqual({
      error: {
        message: 'messages: roles must alternate between "user" and "assistant"',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
    expect(anthropic.clientError(502, null, Buffer.from('<html>Bad Gateway</html>'))).toEqual({
      error: { message: '<html>Bad Gateway</html>', type: 'upstream_error', param: null, code: null },
    });
  });

  it('checks a key with the model list and reads its ids', () => {
    expect(anthropic.keyCheck(target)).toEqual({
      method: 'GET',
      url: 'https://api.anthropic.com/v1/models?limit=1000',
      headers: { 'x-api-key': 'sk-ant-test-0123456789', 'anthropic-version': '2023-06-01', accept: 'application/json' },
    });
    expect(anthropic.modelIds(MODEL_LIST)).toEqual(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']);
  });

  it('tests a channel with a one-token message', () => {
    const call = anthropic.testCompletion(target, 'claude-haiku-4-5-20251001');
    expect(call).toMatchObject({ method: 'POST', url: 'https://api.anthropic.com/v1/messages' });
    expect(call.headers).toMatchObject({ 'x-api-key': 'sk-ant-test-0123456789', 'anthropic-version': '2023-06-01' });
    expect(JSON.parse(call.body as string)).toEqual({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    });
  });

  it('serves chat completions, and its own Messages API and count_tokens natively', () => {
    for (const endpoint of ['chat.completions', 'messages', 'messages.count_tokens'] as const) {
      expect(servesEndpoint('anthropic', endpoint)).toBe(true);
    }
    for (const endpoint of [
      'responses',
      'completions',
      'embeddings',
      'images.generations',
      'audio.speech',
      'moderations',
    ] as const) {
      expect(servesEndpoint('anthropic', endpoint)).toBe(false);
    }
  });
});
