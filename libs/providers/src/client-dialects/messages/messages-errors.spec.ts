import { describe, expect, it } from '@jest/globals';
import { anthropicErrorBody, anthropicErrorType } from './messages-errors.js';

describe(anthropicErrorType.name, () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [504, 'api_error'],
    [529, 'overloaded_error'],
    [408, 'invalid_request_error'],
    [422, 'invalid_request_error'],
  ])('gives status %i the type %s', (status, type) => {
    expect(anthropicErrorType(status)).toBe(type);
  });
});

describe(anthropicErrorBody.name, () => {
  it("renders Anthropic's envelope by status, with the tid", () => {
    const error = {
      message: 'max_tokens: Field required',
      type: 'invalid_request_error',
      code: null,
      param: 'max_tokens',
      tid: 'f'.repeat(32),
    };
    expect(anthropicErrorBody(400, error)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required', tid: 'f'.repeat(32) },
    });
  });
});
