import { describe, expect, it } from '@jest/globals';
import { DenialReason } from './denial-reason.js';
import { DOCUMENTED_ERRORS } from './documented-errors.js';
import { renderDenial } from './error-body.js';

const tid = '4bf92f3577b34da6a3ce929d0e0e4736';
const params = { keySuffix: 'a1B2c3', model: 'gpt-4o-mini' };

// Every row of the documented errors in the README's Errors section, copied word for word:
// [reason, status, identifier (null for "-"), message with placeholders filled].
const documentedRows: Array<[DenialReason, number, string | null, string]> = [
  [
    DenialReason.NoAvailableChannel,
    503,
    null,
    'Incorrect model ID. Please request to view the model page or you do not have permission to use this model',
  ],
  [
    DenialReason.ProviderRateLimited,
    503,
    null,
    'Rate limited by provider – contact support to request higher concurrency or try again later.',
  ],
  [DenialReason.TooManyRequests, 429, null, 'The gpt-4o-mini model Too many requests; please try again later.'],
  [
    DenialReason.InsufficientUserQuota,
    403,
    'insufficient_user_quota',
    'Your account balance is insufficient. Please recharge your account to continue using the API.',
  ],
  [DenialReason.AccountSuspended, 403, null, 'Account suspended.'],
  [DenialReason.InsufficientPermissions, 403, null, 'Forbidden – insufficient permissions.'],
  [DenialReason.IpNotAllowed, 403, null, 'Forbidden – key(a1B2c3) allowed only from approved IP ranges.'],
  [DenialReason.ModelNotAllowed, 403, null, 'Forbidden – key(a1B2c3) not authorized to access the requested model.'],
  [DenialReason.ChannelPinForbidden, 403, null, 'Key error;(a1B2c3)'],
  [DenialReason.ChannelDisabled, 403, null, 'Forbidden – channel has been disabled.'],
  [
    DenialReason.MissingAccessToken,
    401,
    null,
    'Unauthorized – no access token supplied; please log in and include a valid token.',
  ],
  [DenialReason.InvalidAccessToken, 401, null, 'Unauthorized – access token is invalid or expired.'],
  [DenialReason.InvalidChannelId, 400, null, 'Bad Request – invalid channel ID.'],
  [DenialReason.PromptMissing, 400, 'prompt_missing', 'prompt is required'],
  [DenialReason.PromptTooLong, 400, 'prompt_too_long', 'prompt is too long'],
  [DenialReason.TextTooLong, 400, 'text_too_long', 'input is too long'],
  [DenialReason.SizeNotSupported, 400, 'size_not_supported', 'size not supported'],
  [DenialReason.NNotWithinRange, 400, 'n_not_within_range', 'invalid value of n'],
];

describe('DOCUMENTED_ERRORS', () => {
  it('has all 18 rows of the documented table', () => {
    expect(documentedRows).toHaveLength(18);
    expect(new Set(documentedRows.map(([reason]) => reason)).size).toBe(18);
  });

  it.each(documentedRows)('%s renders %i, code %s, the documented message', (reason, status, code, message) => {
    const rendered = renderDenial({ reason, params }, tid);
    expect(rendered.status).toBe(status);
    expect(rendered.body.error.code).toBe(code);
    expect(rendered.body.error.message).toBe(message);
    expect(rendered.body.error.tid).toBe(tid);
    expect(rendered.body.error.param).toBeNull();
  });

  it('uses the en dash of the documented messages, not a hyphen', () => {
    const message = DOCUMENTED_ERRORS[DenialReason.InvalidAccessToken].message({});
    expect(message).toContain('\u2013');
  });

  it.each([
    [DenialReason.UriTooLong, 414, 'uri_too_long', 'Request URL is too long: a path segment is over 100 characters'],
    [
      DenialReason.HeaderFieldsTooLarge,
      431,
      'request_header_fields_too_large',
      'Request headers are too large: at most 16384 bytes',
    ],
    [DenialReason.RequestTimeout, 408, 'request_timeout', 'The request was not received in time.'],
  ])('%s, answered before any route runs, renders %i %s', (reason, status, code, message) => {
    const detail = reason === DenialReason.UriTooLong ? 'a path segment is over 100 characters' : 'at most 16384 bytes';
    const rendered = renderDenial({ reason, params: { detail } }, tid);
    expect(rendered.status).toBe(status);
    expect(rendered.body.error).toEqual({ message, type: 'invalid_request_error', param: null, code, tid });
  });

  it.each(Object.values(DenialReason))('%s never renders an empty message or a bare 2xx', (reason) => {
    const rendered = renderDenial({ reason, params: { ...params, detail: 'x' } }, tid);
    expect(rendered.status).toBeGreaterThanOrEqual(400);
    expect(rendered.body.error.message.length).toBeGreaterThan(0);
  });
});

describe(renderDenial.name, () => {
  it('produces the documented error body shape', () => {
    expect(renderDenial({ reason: DenialReason.ModelNotAllowed, params }, tid).body).toEqual({
      error: {
        message: 'Forbidden – key(a1B2c3) not authorized to access the requested model.',
        type: 'permission_error',
        param: null,
        code: null,
        tid,
      },
    });
  });

  it('adds Retry-After, rounded up, and passes extra headers through', () => {
    const rendered = renderDenial(
      {
        reason: DenialReason.TooManyRequests,
        params: { model: 'm', retryAfterSeconds: 1.2, headers: { 'ratelimit-limit': '60' } },
      },
      tid,
    );
    expect(rendered.headers).toEqual({ 'retry-after': '2', 'ratelimit-limit': '60' });
  });

  it('refuses an address that failed to authenticate too often with its own 429 and Retry-After', () => {
    const rendered = renderDenial(
      { reason: DenialReason.AuthenticationThrottled, params: { retryAfterSeconds: 2.5 } },
      tid,
    );
    expect(rendered.status).toBe(429);
    expect(rendered.headers).toEqual({ 'retry-after': '3' });
    expect(rendered.body.error).toMatchObject({
      type: 'rate_limit_error',
      code: 'too_many_failed_authentications',
      message: 'Too many failed authentications from your address; please try again later.',
    });
  });

  it('names the offending field in param', () => {
    const rendered = renderDenial(
      { reason: DenialReason.InvalidRequest, params: { param: 'model', detail: 'model is required' } },
      tid,
    );
    expect(rendered.body.error.param).toBe('model');
    expect(rendered.body.error.message).toBe('Invalid request: model is required');
  });
});
