import { DenialReason, type Denial } from '@tollgate/errors';

/** One failed attempt, kept so that the client sees the right error when no channel is left. */
export type AttemptFailure =
  { kind: 'status'; status: number; retryAfterSeconds: number | null } | { kind: 'network'; timedOut: boolean };

/** What the client sees when every attempt failed. */
export function denialAfterFailures(last: AttemptFailure | null): Denial {
  if (!last) return { reason: DenialReason.NoAvailableChannel };
  if (last.kind === 'network') {
    return { reason: last.timedOut ? DenialReason.UpstreamTimeout : DenialReason.UpstreamUnavailable };
  }
  if (last.status === 429) {
    return last.retryAfterSeconds === null
      ? { reason: DenialReason.ProviderRateLimited }
      : { reason: DenialReason.ProviderRateLimited, params: { retryAfterSeconds: last.retryAfterSeconds } };
  }
  if (last.status === 401 || last.status === 403) return { reason: DenialReason.NoAvailableChannel };
  return { reason: DenialReason.UpstreamUnavailable };
}

/** Retry-After in seconds (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}
