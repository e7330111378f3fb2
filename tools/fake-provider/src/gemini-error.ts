/**
 * Google's error envelope, `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}}`: the numeric
 * HTTP code, the google.rpc status name clients branch on, and optional typed `details`. A retry delay is one
 * of those details (RetryInfo) — Gemini sends no Retry-After header, so neither does the fake.
 */
import { FakeHttpError } from './fake-http-error.js';
import type { DialectErrors } from './dialect.js';

export interface GeminiErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

const STATUS_BY_CODE: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const MESSAGE_BY_STATUS: Readonly<Record<string, string>> = {
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
  UNAUTHENTICATED: 'Request had invalid authentication credentials.',
  PERMISSION_DENIED: 'The caller does not have permission',
  NOT_FOUND: 'Requested entity was not found.',
  RESOURCE_EXHAUSTED: 'Resource has been exhausted (e.g. check quota).',
  INTERNAL: 'An internal error has occurred. Please retry or report the problem.',
  UNAVAILABLE: 'The model is overloaded. Please try again later.',
  DEADLINE_EXCEEDED: 'Deadline expired before operation could complete.',
};

/** The inverse, for an `errorCode` control naming a status (`FAILED_PRECONDITION`) in an in-band error. */
const CODE_BY_STATUS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Object.entries(STATUS_BY_CODE).map(([code, status]) => [status, Number(code)])),
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
};

export class GeminiHttpError extends FakeHttpError {
  constructor(
    code: number,
    status: string,
    message: string,
    details?: unknown[],
    headers: Record<string, string> = {},
  ) {
    super(code, geminiErrorBody(code, status, message, details), message, headers);
  }
}

export function geminiErrorBody(code: number, status: string, message: string, details?: unknown[]): GeminiErrorBody {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

export const geminiInvalidArgument = (message: string): GeminiHttpError =>
  new GeminiHttpError(400, 'INVALID_ARGUMENT', message);

/** The error chunk a stream ends with under `streamErrorAfterChunks`. */
export function geminiStreamError(errorCode?: string): GeminiErrorBody {
  const status = errorCode ?? 'INTERNAL';
  const code = CODE_BY_STATUS[status] ?? 500;
  return geminiErrorBody(code, status, MESSAGE_BY_STATUS[status] ?? `Fake provider: stream failed (${status}).`);
}

function forced(code: number, errorCode?: string, retryAfterSeconds?: number): GeminiHttpError {
  const status = errorCode ?? STATUS_BY_CODE[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  const details =
    retryAfterSeconds === undefined
      ? undefined
      : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }];
  return new GeminiHttpError(code, status, MESSAGE_BY_STATUS[status] ?? `Fake provider: forced HTTP ${code}.`, details);
}

export const GEMINI_ERRORS: DialectErrors = {
  notFound: (method, path) => new GeminiHttpError(404, 'NOT_FOUND', `Method not found: ${method} ${path}.`),
  unreadableBody: (reason) =>
    reason === 'too_large'
      ? new GeminiHttpError(400, 'INVALID_ARGUMENT', 'Request payload size exceeds the limit.', undefined, {
          connection: 'close',
        })
      : geminiInvalidArgument('Invalid JSON payload received. Unexpected token.'),
  invalidRequest: geminiInvalidArgument,
  invalidControl: geminiInvalidArgument,
  forced,
  internal: (message) => new GeminiHttpError(500, 'INTERNAL', message),
};
