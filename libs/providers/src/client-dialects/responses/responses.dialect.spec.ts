import { describe, expect, it } from '@jest/globals';
import { responsesDialect } from './responses.dialect.js';
import { DOCUMENTED_RESPONSE } from './responses.fixtures.js';

describe('responsesDialect', () => {
  it('is the Responses API, served natively on the responses endpoint', () => {
    expect(responsesDialect.name).toBe('responses');
    expect(responsesDialect.nativeEndpoint).toBe('responses');
  });

  it("reads a native Response's usage in chat form, cached and reasoning tokens in the details", () => {
    expect(responsesDialect.nativeUsage(DOCUMENTED_RESPONSE)).toEqual({
      prompt_tokens: 36,
      completion_tokens: 87,
      total_tokens: 123,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const usage = {
      input_tokens: 2048,
      input_tokens_details: { cached_tokens: 1920 },
      output_tokens: 640,
      output_tokens_details: { reasoning_tokens: 512 },
      total_tokens: 2688,
    };
    expect(responsesDialect.nativeUsage({ ...DOCUMENTED_RESPONSE, usage })).toEqual({
      prompt_tokens: 2048,
      completion_tokens: 640,
      total_tokens: 2688,
      prompt_tokens_details: { cached_tokens: 1920 },
      completion_tokens_details: { reasoning_tokens: 512 },
    });
    expect(responsesDialect.nativeUsage({ ...DOCUMENTED_RESPONSE, usage: undefined })).toBeNull();
  });

  it("renders errors in OpenAI's envelope, with the tid", () => {
    const error = {
      message: 'Rate limited by provider',
      type: 'rate_limit_error',
      code: 'upstream_rate_limited',
      param: null,
      tid: '0af7651916cd43dd8448eb211c80319c',
    };
    expect(responsesDialect.errorBody(503, error)).toEqual({ error });
  });
});
