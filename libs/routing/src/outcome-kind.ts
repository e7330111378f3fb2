import type { ChannelHealthEvent, UpstreamOutcome } from '@tollgate/contracts';

/**
 * What an upstream outcome says about the channel (not about the request):
 * - `dead_key`: the key is rejected or out of credit — no retry will help;
 * - `rate_limited`: the provider throttles this account for a while;
 * - `failure`: the provider is failing or unreachable (5xx, timeout, connection);
 * - `success`: 2xx;
 * - `client_error`: another 4xx — the request's fault, but proof the upstream answers.
 */
export type OutcomeKind = Exclude<ChannelHealthEvent['kind'], 'probe' | 'reset'>;

export function classifyOutcome(
  outcome: Pick<UpstreamOutcome, 'status' | 'errorCode' | 'timedOut'>,
  deadKeyErrorCodes: ReadonlySet<string>,
): OutcomeKind {
  // Checked before the status: OpenAI reports an account without credit as 429 insufficient_quota,
  // which no cooldown will fix.
  if (outcome.errorCode !== null && deadKeyErrorCodes.has(outcome.errorCode)) return 'dead_key';
  if (outcome.status === 401 || outcome.status === 403) return 'dead_key';
  if (outcome.timedOut || outcome.status === 0 || outcome.status >= 500) return 'failure';
  if (outcome.status === 429) return 'rate_limited';
  if (outcome.status >= 200 && outcome.status < 300) return 'success';
  return 'client_error';
}
