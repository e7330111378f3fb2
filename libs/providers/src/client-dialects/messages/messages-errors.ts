import type { DialectError } from '../../client-dialect.js';
import type { JsonObject } from '../../json.js';

/**
 * Anthropic's error type for an HTTP status, as its errors page lists
 * them. Anthropic uses `invalid_request_error` for the 4xx it does not
 * list, and `api_error` for its internal errors. A 503 is the gateway
 * without capacity for the request (no channel free, the providers rate
 * limiting it): to Anthropic's clients that is `overloaded_error`, which
 * Claude Code shows as a transient overload and the SDKs retry; 502 and
 * 504 (an upstream that failed or timed out) are `api_error`.
 */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** The error types of Anthropic's errors page: an in-band error that already is one keeps it. */
const ANTHROPIC_ERROR_TYPES: ReadonlySet<string> = new Set([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
]);

/**
 * The Anthropic type of an error that has no status: a stream's in-band
 * error (an Anthropic-shaped one keeps its type; OpenAI's rate limits, by
 * type `requests` / `tokens` or code `rate_limit_exceeded`, are rate limits;
 * OpenAI's `invalid_request_error` is the same type; anything else is the
 * provider's failure, `api_error`).
 */
function inBandErrorType(error: DialectError): string {
  if (ANTHROPIC_ERROR_TYPES.has(error.type)) return error.type;
  if (error.type === 'requests' || error.type === 'tokens' || error.code === 'rate_limit_exceeded') {
    return 'rate_limit_error';
  }
  if (error.code !== null && ANTHROPIC_ERROR_TYPES.has(error.code)) return error.code;
  return 'api_error';
}

/**
 * Anthropic's error envelope, the gateway's tid in it, and the gateway's
 * documented identifier as `code` when the error has one
 * (`insufficient_user_quota`): Anthropic's clients read `type` and
 * `message`, and ignore the rest.
 */
export function anthropicErrorBody(status: number, error: DialectError): JsonObject {
  const inner: JsonObject = { type: anthropicErrorType(status), message: error.message };
  if (error.code !== null) inner.code = error.code;
  inner.tid = error.tid;
  return { type: 'error', error: inner };
}

/** A stream's `error` event, as Anthropic sends one after its 200. */
export function errorEvent(error: DialectError): string {
  const body = { type: 'error', error: { type: inBandErrorType(error), message: error.message, tid: error.tid } };
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}
