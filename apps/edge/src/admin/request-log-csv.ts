import { LIMITS, type Page, type RequestLogEntryResponse, type RequestLogEntryView } from '@tollgate/contracts';
import { toRequestLogEntryResponse, userKeyNameIds } from './admin-views.js';
import { csvHeader, csvLine, type CsvColumn } from './csv-writer.js';
import { namesOf, type NamesAsker } from './names.js';
import type { RequestLogPartReader } from './request-log-parts.js';

/** The JSON entry's fields, each id followed by its name. */
const COLUMNS: Array<CsvColumn<RequestLogEntryResponse>> = [
  { header: 'created_at', value: (r) => r.created_at },
  { header: 'tid', value: (r) => r.tid },
  { header: 'user_id', value: (r) => r.user_id },
  { header: 'user_name', value: (r) => r.user_name },
  { header: 'key_id', value: (r) => r.key_id },
  { header: 'key_name', value: (r) => r.key_name },
  { header: 'model', value: (r) => r.model },
  { header: 'channel_id', value: (r) => r.channel_id },
  { header: 'status', value: (r) => r.status },
  { header: 'succeeded', value: (r) => r.succeeded },
  { header: 'stream', value: (r) => r.stream },
  { header: 'latency_ms', value: (r) => r.latency_ms },
  { header: 'input_tokens', value: (r) => r.input_tokens },
  { header: 'output_tokens', value: (r) => r.output_tokens },
  { header: 'cached_input_tokens', value: (r) => r.cached_input_tokens },
  { header: 'cache_write_tokens', value: (r) => r.cache_write_tokens },
  { header: 'reasoning_tokens', value: (r) => r.reasoning_tokens },
  { header: 'images', value: (r) => r.images },
  { header: 'characters', value: (r) => r.characters },
  { header: 'audio_seconds', value: (r) => r.audio_seconds },
  { header: 'cost', value: (r) => r.cost },
  { header: 'hold_id', value: (r) => r.hold_id },
  { header: 'id', value: (r) => r.id },
];

/**
 * The request log as CSV, a part at a time: the header, then each part's
 * lines as soon as billing answers it and auth has named its users and keys
 * (one ask per part), so an export of many parts never sits whole in the
 * edge's memory nor in one NATS message. It stops after
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
  { cursor, maxRows, askNames }: { cursor: string | null; maxRows: number; askNames: NamesAsker },
): Promise<AsyncIterable<string>> {
  const lines = async (part: Page<RequestLogEntryView>): Promise<string> => {
    const names = await namesOf(askNames, userKeyNameIds(part.data));
    return part.data.map((row) => csvLine(COLUMNS, toRequestLogEntryResponse(row, names))).join('');
  };
  const first = await readPart(cursor, Math.min(LIMITS.requestLogPart, maxRows));
  const firstLines = await lines(first);
  return (async function* () {
    yield csvHeader(COLUMNS);
    let part = first;
    let text = firstLines;
    let left = maxRows;
    for (;;) {
      if (text.length > 0) yield text;
      left -= part.data.length;
      if (part.nextCursor === null || left <= 0) return;
      part = await readPart(part.nextCursor, Math.min(LIMITS.requestLogPart, left));
      text = await lines(part);
    }
  })();
}
