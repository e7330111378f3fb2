import { DenialReason, type DenialParams } from './denial-reason.js';

/** OpenAI's `error.type` values, so SDKs classify our errors as they do theirs. */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'server_error';

export interface DocumentedError {
  status: number;
  type: OpenAiErrorType;
  /** The code of the README's documented-errors table where it has one, else null (or our own code). */
  code: string | null;
  message: (params: DenialParams) => string;
}

// The table's placeholders: the last 6 characters of the key (`xxxxxx`) and the model (`{model}`).
const key = (p: DenialParams): string => p.keySuffix ?? '';
const model = (p: DenialParams): string => p.model ?? '';
const withDetail = (base: string, p: DenialParams): string => (p.detail ? `${base}: ${p.detail}` : base);

/**
 * The one table: reason → status, code and message. Messages are the words
 * of the documented errors exactly (the README's Errors section), en dashes
 * included. Typed as a Record over the enum so that a reason without a row
 * does not compile.
 */
export const DOCUMENTED_ERRORS: Record<DenialReason, DocumentedError> = {
  [DenialReason.NoAvailableChannel]: {
    status: 503,
    type: 'server_error',
    code: null,
    message: () =>
      'Incorrect model ID. Please request to view the model page or you do not have permission to use this model',
  },
  [DenialReason.ProviderRateLimited]: {
    status: 503,
    type: 'server_error',
    code: null,
    message: () => 'Rate limited by provider – contact support to request higher concurrency or try again later.',
  },
  [DenialReason.TooManyRequests]: {
    status: 429,
    type: 'rate_limit_error',
    code: null,
    message: (p) => `The ${model(p)} model Too many requests; please try again later.`,
  },
  [DenialReason.InsufficientUserQuota]: {
    status: 403,
    type: 'insufficient_quota',
    code: 'insufficient_user_quota',
    message: () => 'Your account balance is insufficient. Please recharge your account to continue using the API.',
  },
  [DenialReason.AccountSuspended]: {
    status: 403,
    type: 'permission_error',
    code: null,
    message: () => 'Account suspended.',
  },
  [DenialReason.InsufficientPermissions]: {
    status: 403,
    type: 'permission_error',
    code: null,
    message: () => 'Forbidden – insufficient permissions.',
  },
  [DenialReason.IpNotAllowed]: {
    status: 403,
    type: 'permission_error',
    code: null,
    message: (p) => `Forbidden – key(${key(p)}) allowed only from approved IP ranges.`,
  },
  [DenialReason.ModelNotAllowed]: {
    status: 403,
    type: 'permission_error',
    code: null,
    message: (p) => `Forbidden – key(${key(p)}) not authorized to access the requested model.`,
  },
  [DenialReason.ChannelPinForbidden]: {
    status: 403,
    type: 'permission_error',
    code: null,
    message: (p) => `Key error;(${key(p)})`,
  },
  [DenialReason.ChannelDisabled]: {
    status: 403,
    type: 'permission_error',
    code: null,
    message: () => 'Forbidden – channel has been disabled.',
  },
  [DenialReason.MissingAccessToken]: {
    status: 401,
    type: 'authentication_error',
    code: null,
    message: () => 'Unauthorized – no access token supplied; please log in and include a valid token.',
  },
  [DenialReason.InvalidAccessToken]: {
    status: 401,
    type: 'authentication_error',
    code: null,
    message: () => 'Unauthorized – access token is invalid or expired.',
  },
  [DenialReason.InvalidChannelId]: {
    status: 400,
    type: 'invalid_request_error',
    code: null,
    message: () => 'Bad Request – invalid channel ID.',
  },
  [DenialReason.PromptMissing]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'prompt_missing',
    message: () => 'prompt is required',
  },
  [DenialReason.PromptTooLong]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'prompt_too_long',
    message: () => 'prompt is too long',
  },
  [DenialReason.TextTooLong]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'text_too_long',
    message: () => 'input is too long',
  },
  [DenialReason.SizeNotSupported]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'size_not_supported',
    message: () => 'size not supported',
  },
  [DenialReason.NNotWithinRange]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'n_not_within_range',
    message: () => 'invalid value of n',
  },

  [DenialReason.MalformedJson]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'malformed_json',
    message: () => 'We could not parse the JSON body of your request.',
  },
  [DenialReason.InvalidRequest]: {
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_request',
    message: (p) => withDetail('Invalid request', p),
  },
  [DenialReason.UnknownRoute]: {
    status: 404,
    type: 'invalid_request_error',
    code: 'unknown_url',
    message: (p) => `Unknown request URL: ${p.detail ?? ''}.`,
  },
  [DenialReason.PayloadTooLarge]: {
    status: 413,
    type: 'invalid_request_error',
    code: 'payload_too_large',
    message: (p) => withDetail('Request body is too large', p),
  },
  // The next three are answered for Fastify's router and Node's HTTP parser, before any route runs.
  [DenialReason.UriTooLong]: {
    status: 414,
    type: 'invalid_request_error',
    code: 'uri_too_long',
    message: (p) => withDetail('Request URL is too long', p),
  },
  [DenialReason.HeaderFieldsTooLarge]: {
    status: 431,
    type: 'invalid_request_error',
    code: 'request_header_fields_too_large',
    message: (p) => withDetail('Request headers are too large', p),
  },
  [DenialReason.RequestTimeout]: {
    status: 408,
    type: 'invalid_request_error',
    code: 'request_timeout',
    message: () => 'The request was not received in time.',
  },
  [DenialReason.UnsupportedMediaType]: {
    status: 415,
    type: 'invalid_request_error',
    code: 'unsupported_media_type',
    message: (p) => withDetail('Unsupported content type; send application/json', p),
  },
  [DenialReason.ResourceNotFound]: {
    status: 404,
    type: 'not_found_error',
    code: 'not_found',
    message: (p) => withDetail('Not found', p),
  },
  [DenialReason.Conflict]: {
    status: 409,
    type: 'invalid_request_error',
    code: 'conflict',
    message: (p) => withDetail('Conflict', p),
  },
  [DenialReason.KeyBudgetExceeded]: {
    status: 403,
    type: 'insufficient_quota',
    code: 'insufficient_key_quota',
    message: (p) => `The budget of key(${key(p)}) is exhausted. Ask the key's owner to raise it or use another key.`,
  },
  [DenialReason.ModelPriceMissing]: {
    status: 503,
    type: 'server_error',
    code: 'model_price_missing',
    message: (p) => `The ${model(p)} model has no price configured; contact support.`,
  },
  [DenialReason.UpstreamTimeout]: {
    status: 504,
    type: 'server_error',
    code: 'upstream_timeout',
    message: () => 'The upstream provider did not answer in time; please try again later.',
  },
  [DenialReason.UpstreamUnavailable]: {
    status: 502,
    type: 'server_error',
    code: 'upstream_unavailable',
    message: () => 'The upstream provider could not be reached; please try again later.',
  },
  [DenialReason.ServiceUnavailable]: {
    status: 503,
    type: 'server_error',
    code: 'service_unavailable',
    message: () => 'The service is temporarily unavailable; please try again later.',
  },
  [DenialReason.InternalError]: {
    status: 500,
    type: 'server_error',
    code: 'internal_error',
    message: () => 'The server had an error while processing your request; please try again later.',
  },
  [DenialReason.AuthenticationThrottled]: {
    status: 429,
    type: 'rate_limit_error',
    code: 'too_many_failed_authentications',
    message: () => 'Too many failed authentications from your address; please try again later.',
  },
  // A console write (cookie session) whose X-CSRF-Token header is missing or not this session's.
  [DenialReason.CsrfTokenInvalid]: {
    status: 403,
    type: 'permission_error',
    code: 'csrf_token_invalid',
    message: () =>
      'Forbidden – the CSRF token is missing or does not match this session; reload the console and try again.',
  },
};
