import { formatMoney, LIMITS, type RequestLogEntryView } from '@tollgate/contracts';
import { csvHeader, csvLine, type CsvColumn } from './csv-writer.js';
import type { RequestLogPartReader } from './request-log-parts.js';

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

/**
 * The request log as CSV, a part at a time: the header, then each part's
 * lines as soon as billing answers it, so an export of many parts never sits
 * whole in the edge's memory nor in one NATS message. It stops after
 * `maxRows` rows (REQUEST_LOG_CSV_MAX_ROWS), or at the last part.
 *
 * The first part is read before this resolves, so that a refusal (a cursor
 * billing does not take, billing not answering) is still a documented error
 * and not a download that breaks off at once. A later part that fails ends
 * the text with that error, which breaks the download off rather than
 * ending it as if it were complete.
 */
export async function requestLogCsv(
  readPart: RequestLogPartReader,
  { cursor, maxRows }: { cursor: string | null; maxRows: number },
): Promise<AsyncIterable<string>> {
  const first = await readPart(cursor, Math.min(LIMITS.requestLogPart, maxRows));
  return (async function* () {
    yield csvHeader(COLUMNS);
    let part = first;
    let left = maxRows;
    for (;;) {
      if (part.data.length > 0) yield part.data.map((row) => csvLine(COLUMNS, row)).join('');
      left -= part.data.length;
      if (part.nextCursor === null || left <= 0) return;
      part = await readPart(part.nextCursor, Math.min(LIMITS.requestLogPart, left));
    }
  })();
}
