import { formatMoney, LIMITS, type Page, type RequestLogEntryView } from '@tollgate/contracts';
import { csvHeader, csvLine, type CsvColumn } from './csv-writer.js';

const COLUMNS: Array<CsvColumn<RequestLogEntryView>> = [
  { header: 'created_at', value: (r) => r.createdAt },
  { header: 'tid', value: (r) => r.tid },
  { header: 'user_id', value: (r) => r.userId },
  { header: 'key_id', value: (r) => r.keyId },
  { header: 'model', value: (r) => r.model },
  { header: 'channel_id', value: (r) => r.channelId },
  { header: 'status', value: (r) => r.httpStatus },
  { header: 'succeeded', value: (r) => r.succeeded },
  { header: 'stream', value: (r) => r.stream },
  { header: 'latency_ms', value: (r) => r.latencyMs },
  { header: 'input_tokens', value: (r) => r.inputTokens },
  { header: 'output_tokens', value: (r) => r.outputTokens },
  { header: 'cached_input_tokens', value: (r) => r.cachedInputTokens },
  { header: 'cache_write_tokens', value: (r) => r.cacheWriteTokens },
  { header: 'reasoning_tokens', value: (r) => r.reasoningTokens },
  { header: 'images', value: (r) => r.images },
  { header: 'characters', value: (r) => r.characters },
  { header: 'audio_seconds', value: (r) => r.audioSeconds },
  { header: 'cost', value: (r) => formatMoney(r.costMicros) },
  { header: 'hold_id', value: (r) => r.holdId },
  { header: 'id', value: (r) => r.id },
];

/** Reads one page of the filter being exported: at most `limit` rows after `cursor`. */
export type RequestLogPageReader = (cursor: string | null, limit: number) => Promise<Page<RequestLogEntryView>>;

/**
 * The request log as CSV, a page at a time: the header, then each page's
 * lines as soon as billing answers it, so an export of many pages never sits
 * whole in the edge's memory nor in one NATS message. It stops after
 * `maxRows` rows (REQUEST_LOG_CSV_MAX_ROWS), or at the last page.
 *
 * The first page is read before this resolves, so that a refusal (a cursor
 * billing does not take, billing not answering) is still a documented error
 * and not a download that breaks off at once. A later page that fails ends
 * the text with that error, which breaks the download off rather than
 * ending it as if it were complete.
 */
export async function requestLogCsv(
  readPage: RequestLogPageReader,
  { cursor, maxRows }: { cursor: string | null; maxRows: number },
): Promise<AsyncIterable<string>> {
  const first = await readPage(cursor, Math.min(LIMITS.requestLogPage, maxRows));
  return (async function* () {
    yield csvHeader(COLUMNS);
    let page = first;
    let left = maxRows;
    for (;;) {
      if (page.data.length > 0) yield page.data.map((row) => csvLine(COLUMNS, row)).join('');
      left -= page.data.length;
      if (page.nextCursor === null || left <= 0) return;
      page = await readPage(page.nextCursor, Math.min(LIMITS.requestLogPage, left));
    }
  })();
}
