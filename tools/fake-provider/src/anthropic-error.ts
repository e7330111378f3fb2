/**
 * Anthropic's error envelope, `{"type":"error","error":{"type":"rate_limit_error","message":"…"}}`, for HTTP
 * errors and for the in-band `error` event of a stream. The `type` is what clients branch on (the official
 * SDK maps statuses, gateways often map types), so each status gets the type Anthropic documents for it.
 */
import { FakeHttpError } from './fake-http-error.js';
import { MAX_BODY_BYTES } from './http-io.js';
import type { DialectErrors } from './dialect.js';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** Anthropic's documented error types per status. */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const MESSAGE_BY_TYPE: Readonly<Record<string, string>> = {
  invalid_request_error: 'Fake provider: the request was rejected (forced 400).',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not Found',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of requests has exceeded your rate limit (fake provider). Please try again later.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

export class AnthropicHttpError extends FakeHttpError {
  constructor(status: number, type: string, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(status, anthropicErrorBody(type, message), message, headers);
  }
}

export function anthropicErrorBody(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

export const anthropicInvalidRequest = (message: string): AnthropicHttpError =>
  new AnthropicHttpError(400, 'invalid_request_error', message);

/** The in-band error event a stream ends with under `streamErrorAfterChunks`; overloaded is the usual one. */
export function anthropicStreamError(errorCode?: string): AnthropicErrorBody {
  const type = errorCode ?? 'overloaded_error';
  return anthropicErrorBody(type, MESSAGE_BY_TYPE[type] ?? `Fake provider: stream failed (${type}).`);
}

function forced(status: number, errorCode?: string, retryAfterSeconds?: number): AnthropicHttpError {
  const type = errorCode ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return new AnthropicHttpError(
    status,
    type,
    MESSAGE_BY_TYPE[type] ?? `Fake provider: forced HTTP ${status}.`,
    headers,
  );
}

export const ANTHROPIC_ERRORS: DialectErrors = {
  notFound: () => new AnthropicHttpError(404, 'not_found_error', 'Not Found'),
  unreadableBody: (reason) =>
    reason === 'too_large'
      ? new AnthropicHttpError(
          413,
          'request_too_large',
          `Request exceeds the maximum allowed number of bytes (${MAX_BODY_BYTES}).`,
          { connection: 'close' },
        )
      : anthropicInvalidRequest('There was an error parsing the body of your request: it is not valid JSON.'),
  invalidRequest: anthropicInvalidRequest,
  invalidControl: anthropicInvalidRequest,
  forced,
  internal: (message) => new AnthropicHttpError(500, 'api_error', message),
};
