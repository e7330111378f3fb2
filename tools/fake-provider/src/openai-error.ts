/**
 * OpenAI-shaped errors. Every non-2xx answer of the OpenAI dialect (and Azure's pass-through errors) uses
 * OpenAI's envelope so that the gateway's error mapping and the official SDK's `APIError` (which reads
 * `error.message`, `error.type`, `error.code`) are exercised exactly as against the real API.
 */
import { FakeHttpError } from './fake-http-error.js';
import { MAX_BODY_BYTES } from './http-io.js';

export interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface OpenAIErrorBody {
  error: OpenAIErrorObject;
}

/** An OpenAI error answer in flight: thrown by request handling, written by the dispatcher. */
export class OpenAIHttpError extends FakeHttpError {
  constructor(
    status: number,
    readonly error: OpenAIErrorObject,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, { error } satisfies OpenAIErrorBody, error.message, headers);
  }
}

type ErrorTemplate = Omit<OpenAIErrorObject, 'param'>;

/** What the real API says for each status, so a forced status needs no further configuration to look real. */
const STATUS_TEMPLATES: Readonly<Record<number, ErrorTemplate>> = {
  400: { type: 'invalid_request_error', code: null, message: 'Fake provider: the request was rejected (forced 400).' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: {
    type: 'request_forbidden',
    code: 'unsupported_country_region_territory',
    message: 'Country, region, or territory not supported',
  },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests (fake provider). Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  502: { type: 'server_error', code: null, message: 'Bad gateway.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

/** Codes whose real `type` and message differ from their status' default (e.g. quota errors are also 429). */
const CODE_TEMPLATES: Readonly<Record<string, Omit<ErrorTemplate, 'code'>>> = {
  insufficient_quota: {
    type: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
  rate_limit_exceeded: { type: 'requests', message: 'Rate limit reached for requests (fake provider).' },
  invalid_api_key: { type: 'invalid_request_error', message: 'Incorrect API key provided.' },
  model_not_found: {
    type: 'invalid_request_error',
    message: 'The model does not exist or you do not have access to it.',
  },
};

/** The error a `status` control (optionally with `errorCode` and `retryAfter`) produces. */
export function forcedError(status: number, errorCode?: string, retryAfterSeconds?: number): OpenAIHttpError {
  const byStatus = STATUS_TEMPLATES[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    message: `Fake provider: forced HTTP ${status}.`,
  };
  const byCode = errorCode === undefined ? undefined : CODE_TEMPLATES[errorCode];
  const error: OpenAIErrorObject = {
    message: byCode?.message ?? byStatus.message,
    type: byCode?.type ?? byStatus.type,
    param: null,
    code: errorCode ?? byStatus.code,
  };
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return new OpenAIHttpError(status, error, headers);
}

/** A 400 about the request itself (bad JSON, missing parameter, bad control). */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): OpenAIHttpError {
  return new OpenAIHttpError(400, { message, type: 'invalid_request_error', param, code });
}

/** The parameter error OpenAI gives when a required body field is absent. */
export function missingParameter(param: string): OpenAIHttpError {
  return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

/** OpenAI's answer to a path it does not serve (it uses 404 for a wrong method too). */
export function invalidUrl(method: string, path: string): OpenAIHttpError {
  return new OpenAIHttpError(404, {
    message: `Invalid URL (${method} ${path})`,
    type: 'invalid_request_error',
    param: null,
    code: null,
  });
}

/** OpenAI's wording for a body it cannot read: too large (the connection is closed, the rest is not read) or not JSON. */
export function unreadableBody(reason: 'too_large' | 'invalid_json'): OpenAIHttpError {
  if (reason === 'too_large') {
    return new OpenAIHttpError(
      413,
      {
        message: `Request body exceeds ${MAX_BODY_BYTES} bytes.`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
      { connection: 'close' },
    );
  }
  return invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP " +
      'library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
  );
}

/**
 * The error object OpenAI sends in-band when a stream fails after it started (`data: {"error": …}`), after
 * which the connection ends without `[DONE]`.
 */
export function streamErrorObject(errorCode?: string): OpenAIErrorObject {
  return {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: errorCode ?? null,
  };
}
