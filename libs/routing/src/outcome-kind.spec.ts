import { describe, expect, it } from '@jest/globals';
import { providerFor } from '@tollgate/providers';
import { classifyOutcome } from './outcome-kind.js';

describe(classifyOutcome.name, () => {
  const classify = (status: number, errorCode: string | null = null, timedOut = false) =>
    classifyOutcome({ status, errorCode, timedOut }, providerFor('openai').deadKeyErrorCodes);

  it.each([
    [200, null, false, 'success'],
    [201, null, false, 'success'],
    [429, null, false, 'rate_limited'],
    [429, 'rate_limit_exceeded', false, 'rate_limited'],
    [429, 'insufficient_quota', false, 'dead_key'],
    [401, 'invalid_api_key', false, 'dead_key'],
    [401, null, false, 'dead_key'],
    [403, null, false, 'dead_key'],
    [500, null, false, 'failure'],
    [503, null, false, 'failure'],
    [0, null, false, 'failure'],
    [0, null, true, 'failure'],
    [200, null, true, 'failure'],
    [400, null, false, 'client_error'],
    [404, 'model_not_found', false, 'client_error'],
    [413, null, false, 'client_error'],
  ] as const)('%i %p (timed out: %p) is %s', (status, code, timedOut, kind) => {
    expect(classify(status, code, timedOut)).toBe(kind);
  });
});
