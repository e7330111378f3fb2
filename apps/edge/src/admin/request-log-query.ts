import type { RequestLogQuery, RequestLogRequest } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { instant } from './admin-input.js';

/** The filter of a request-log query as billing takes it: every field but the page's size and place. */
export type RequestLogFilter = Omit<RequestLogRequest, 'limit' | 'cursor'>;

/**
 * The admin API's filter (snake_case; `status` one of ok, failed or an HTTP
 * status; days or instants) as billing's. The schema checked each field;
 * what it cannot say is checked here: a range that ends before it starts.
 */
export function requestLogFilter(query: RequestLogQuery): RequestLogFilter {
  const from = instant(query.from);
  const to = instant(query.to);
  if (from !== null && to !== null && to < from) {
    throw new DenialException(DenialReason.InvalidRequest, { param: 'to', detail: 'to must not be before from' });
  }
  const status = query.status;
  return {
    tid: query.tid,
    userId: query.user_id,
    keyId: query.key_id,
    model: query.model,
    channelId: query.channel_id,
    httpStatus: status === undefined || status === 'ok' || status === 'failed' ? undefined : Number(status),
    succeeded: status === 'ok' ? true : status === 'failed' ? false : undefined,
    from,
    to,
  };
}
