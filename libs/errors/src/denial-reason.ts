/**
 * Why a request was refused. Services reply with one of these as data
 * (`{ reason, params }`); only the edge turns it into an HTTP response, through
 * the one table in `documented-errors.ts`.
 *
 * The first group mirrors the documented errors of the README's Errors
 * section row by row; the second group is the gateway's own, for situations
 * that table does not list.
 */
export enum DenialReason {
  // ── rows of the documented error table ──────────────────────────────────
  NoAvailableChannel = 'no_available_channel',
  ProviderRateLimited = 'provider_rate_limited',
  TooManyRequests = 'too_many_requests',
  InsufficientUserQuota = 'insufficient_user_quota',
  AccountSuspended = 'account_suspended',
  InsufficientPermissions = 'insufficient_permissions',
  IpNotAllowed = 'ip_not_allowed',
  ModelNotAllowed = 'model_not_allowed',
  ChannelPinForbidden = 'channel_pin_forbidden',
  ChannelDisabled = 'channel_disabled',
  MissingAccessToken = 'missing_access_token',
  InvalidAccessToken = 'invalid_access_token',
  InvalidChannelId = 'invalid_channel_id',
  PromptMissing = 'prompt_missing',
  PromptTooLong = 'prompt_too_long',
  TextTooLong = 'text_too_long',
  SizeNotSupported = 'size_not_supported',
  NNotWithinRange = 'n_not_within_range',

  // ── the gateway's own ───────────────────────────────────────────────────
  MalformedJson = 'malformed_json',
  InvalidRequest = 'invalid_request',
  UnknownRoute = 'unknown_route',
  PayloadTooLarge = 'payload_too_large',
  UriTooLong = 'uri_too_long',
  HeaderFieldsTooLarge = 'header_fields_too_large',
  RequestTimeout = 'request_timeout',
  UnsupportedMediaType = 'unsupported_media_type',
  ResourceNotFound = 'resource_not_found',
  Conflict = 'conflict',
  KeyBudgetExceeded = 'key_budget_exceeded',
  ModelPriceMissing = 'model_price_missing',
  UpstreamTimeout = 'upstream_timeout',
  UpstreamUnavailable = 'upstream_unavailable',
  ServiceUnavailable = 'service_unavailable',
  InternalError = 'internal_error',
  AuthenticationThrottled = 'authentication_throttled',
  CsrfTokenInvalid = 'csrf_token_invalid',
}

/**
 * Values a message template may need. Every field is optional in the type so
 * that a denial can cross NATS as plain JSON; the table's unit tests check
 * that each template fills what it shows.
 */
export interface DenialParams {
  /** Last 6 characters of the key the client presented. */
  keySuffix?: string;
  /** The model the client asked for. */
  model?: string;
  /** The request field at fault (OpenAI's `param`). */
  param?: string;
  /** Detail for the gateway's own errors (never a stack or internal message). */
  detail?: string;
  /** Seconds after which a retry may succeed (429 and 503). */
  retryAfterSeconds?: number;
  /** Extra response headers, e.g. the RateLimit-* family. */
  headers?: Record<string, string>;
}

export interface Denial {
  reason: DenialReason;
  params?: DenialParams;
}

export const deny = (reason: DenialReason, params?: DenialParams): Denial =>
  params === undefined ? { reason } : { reason, params };
