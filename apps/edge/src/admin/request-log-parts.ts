import { LIMITS, type Page, type RequestLogEntryView } from '@tollgate/contracts';

/** Reads one part from billing: at most `limit` (≤ LIMITS.requestLogPart) rows after `cursor`. */
export type RequestLogPartReader = (cursor: string | null, limit: number) => Promise<Page<RequestLogEntryView>>;

/**
 * A page of the admin API (up to LIMITS.requestLogPage rows) read from
 * billing in parts of LIMITS.requestLogPart: a page of requests at their
 * widest is more than one NATS message should carry. The parts continue one
 * another by cursor, so the page is what one query of its size would give,
 * and its cursor continues after its last row.
 */
export async function readRequestLogPage(
  readPart: RequestLogPartReader,
  { cursor, limit }: { cursor: string | null; limit: number },
): Promise<Page<RequestLogEntryView>> {
  const data: RequestLogEntryView[] = [];
  let next = cursor;
  do {
    const part = await readPart(next, Math.min(LIMITS.requestLogPart, limit - data.length));
    data.push(...part.data);
    next = part.nextCursor;
  } while (next !== null && data.length < limit);
  return { data, nextCursor: next };
}
