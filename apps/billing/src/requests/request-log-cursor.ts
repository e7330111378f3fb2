/**
 * The request log's page cursor: the (created_at, id) of the last row of a
 * page, the keyset the next page continues below. Rows settled in one batch
 * share created_at (one transaction's now()), and concurrent batches commit
 * out of id order, so neither column alone orders the log; the pair does,
 * and an index on it serves the page without OFFSET's re-reading.
 *
 * created_at travels as PostgreSQL's own text to the microsecond: a JS Date
 * keeps milliseconds only, and a cursor that rounded would skip or repeat
 * rows. The cursor is base64url, opaque to clients, so its form may change.
 */
export interface RequestLogPosition {
  /** `2026-12-02T16:06:52.123456Z`: created_at in UTC, to the microsecond. */
  createdAt: string;
  /** usage_log.id, a bigint as text. */
  id: string;
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z) (\d{1,19})$/;

export function encodeRequestLogCursor(position: RequestLogPosition): string {
  return Buffer.from(`${position.createdAt} ${position.id}`).toString('base64url');
}

/** The position a cursor names, or null for text this API never returned. */
export function decodeRequestLogCursor(cursor: string): RequestLogPosition | null {
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) return null;
  const [, createdAt, id] = match as unknown as [string, string, string];
  // A well-formed text that is no instant (month 13, 30 February) would fail in the query, as a 500.
  const toMillis = `${createdAt.slice(0, 23)}Z`;
  const millis = Date.parse(toMillis);
  if (Number.isNaN(millis) || new Date(millis).toISOString() !== toMillis) return null;
  return { createdAt, id };
}
