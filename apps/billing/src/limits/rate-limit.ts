import { DenialReason, deny, type Denial } from '@tollgate/errors';

/**
 * Requests per minute are counted in fixed one-minute windows (aligned on
 * the database clock, so every replica agrees) in `billing.rate_windows`,
 * one row per scope and window. The counting itself happens inside
 * `billing.reserve_hold`, in the same round trip as the debit.
 */
export const RATE_WINDOW_SECONDS = 60;

/** One counter per key and model: a key's limit applies to each model separately. */
export const keyModelScope = (keyId: string, model: string): string => `k:${keyId}:${model}`;

/** One counter per user, across all of the user's keys and models. */
export const userScope = (userId: string): string => `u:${userId}`;

/** The documented 429, with Retry-After and the RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers). */
export function tooManyRequests(model: string, limit: number, resetSeconds: number): Denial {
  return deny(DenialReason.TooManyRequests, {
    model,
    retryAfterSeconds: resetSeconds,
    headers: {
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(resetSeconds),
    },
  });
}
