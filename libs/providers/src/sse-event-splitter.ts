import { StringDecoder } from 'node:string_decoder';

/** One server-sent event. */
export interface SseEvent {
  /** The event exactly as received, its terminating blank line included. */
  raw: string;
  /** Its `data` lines joined with "\n"; null when it has none (a comment, a keep-alive). */
  data: string | null;
}

/** An event ends at a blank line; lines end in CRLF, LF or CR (the SSE spec allows all three). */
const BOUNDARY = /\r\n\r\n|\n\n|\r\r/g;
/** The longest boundary is 4 characters: after a chunk, a boundary can start at most 3 characters back. */
const BOUNDARY_OVERLAP = 3;

function dataOf(text: string, start: number, end: number): string | null {
  // The usual shape, `data: {...}` on one line, without splitting anything.
  if (text.startsWith('data: ', start)) {
    const lf = text.indexOf('\n', start);
    const cr = text.indexOf('\r', start);
    if ((lf === -1 || lf >= end) && (cr === -1 || cr >= end)) return text.slice(start + 6, end);
  }
  const values: string[] = [];
  for (const line of text.slice(start, end).split(/\r\n|\r|\n/)) {
    if (line === 'data') values.push('');
    else if (line.startsWith('data:')) values.push(line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5));
  }
  return values.length === 0 ? null : values.join('\n');
}

/**
 * Cuts a byte stream into server-sent events as the bytes arrive. The bytes
 * of an event that is not complete yet (a chunk can end anywhere, even inside
 * a UTF-8 character or between the CR and LF of a line end) stay in a small
 * buffer until the rest arrives; nothing before them is held back.
 */
export class SseEventSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private scanFrom = 0;

  push(chunk: Buffer | string): SseEvent[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const events: SseEvent[] = [];
    let start = 0;
    BOUNDARY.lastIndex = this.scanFrom;
    for (let match = BOUNDARY.exec(this.pending); match !== null; match = BOUNDARY.exec(this.pending)) {
      const end = match.index + match[0].length;
      events.push({ raw: this.pending.slice(start, end), data: dataOf(this.pending, start, match.index) });
      start = end;
    }
    if (start > 0) this.pending = this.pending.slice(start);
    this.scanFrom = Math.max(0, this.pending.length - BOUNDARY_OVERLAP);
    return events;
  }

  /** What is left when the stream ends: an unterminated event (or nothing). */
  rest(): string {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    this.scanFrom = 0;
    return rest;
  }
}
