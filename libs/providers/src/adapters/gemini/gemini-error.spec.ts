import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import { geminiAdapter } from './gemini.adapter.js';
import {
  API_KEY_INVALID_ERROR,
  INVALID_ARGUMENT_ERROR,
  NOT_FOUND_ERROR,
  PERMISSION_DENIED_ERROR,
  RESOURCE_EXHAUSTED_ERROR,
  UNAVAILABLE_ERROR,
} from './gemini.fixtures.js';

const json = (body: unknown) => structuredClone(body) as JsonObject;

describe('gemini errors', () => {
  it('retries rate limits, provider errors and a dead key elsewhere, with the code the router reads', () => {
    // The documented 429 asks for 38 s in its RetryInfo: the channel cools down that long.
    expect(geminiAdapter.classify(429, json(RESOURCE_EXHAUSTED_ERROR))).toEqual({
      retryable: true,
      errorCode: 'RESOURCE_EXHAUSTED',
      retryAfterSeconds: 38,
    });
    expect(geminiAdapter.classify(503, json(UNAVAILABLE_ERROR))).toEqual({
      retryable: true,
      errorCode: 'UNAVAILABLE',
      retryAfterSeconds: null,
    });
    expect(geminiAdapter.classify(500, null)).toEqual({ retryable: true, errorCode: null, retryAfterSeconds: null });
    expect(geminiAdapter.classify(403, json(PERMISSION_DENIED_ERROR))).toEqual({
      retryable: true,
      errorCode: 'PERMISSION_DENIED',
      retryAfterSeconds: null,
    });
    // Gemini answers a bad key with a 400, told apart from the request's own 400s by its reason.
    expect(geminiAdapter.classify(400, json(API_KEY_INVALID_ERROR))).toEqual({
      retryable: true,
      errorCode: 'API_KEY_INVALID',
      retryAfterSeconds: null,
    });
  });

  it("passes the request's own errors on", () => {
    expect(geminiAdapter.classify(400, json(INVALID_ARGUMENT_ERROR))).toEqual({
      retryable: false,
      errorCode: 'INVALID_ARGUMENT',
      retryAfterSeconds: null,
    });
    expect(geminiAdapter.classify(404, json(NOT_FOUND_ERROR))).toEqual({
      retryable: false,
      errorCode: 'NOT_FOUND',
      retryAfterSeconds: null,
    });
  });

  it('names the dead-key codes for the router', () => {
    expect(geminiAdapter.deadKeyErrorCodes.has('API_KEY_INVALID')).toBe(true);
    expect(geminiAdapter.deadKeyErrorCodes.has('PERMISSION_DENIED')).toBe(true);
    expect(geminiAdapter.deadKeyErrorCodes.has('RESOURCE_EXHAUSTED')).toBe(false);
  });

  it("renders Google's error in OpenAI's shape, the status as type and code", () => {
    expect(geminiAdapter.clientError(404, json(NOT_FOUND_ERROR), Buffer.from(''))).toEqual({
      error: {
        message: NOT_FOUND_ERROR.error.message,
        type: 'NOT_FOUND',
        param: null,
        code: 'NOT_FOUND',
      },
    });
  });

  it('wraps a body that is not Google JSON', () => {
    expect(geminiAdapter.clientError(502, null, Buffer.from('<html>Bad Gateway</html>'))).toEqual({
      error: { message: '<html>Bad Gateway</html>', type: 'upstream_error', param: null, code: null },
    });
  });
});
