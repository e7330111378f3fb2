/**
 * What reached the fake, so tests can assert on what the gateway sent upstream (the dialect and its auth
 * header, the mapped model, whether `stream_options.include_usage` was requested…). Bounded, because the
 * fake also serves long benchmark runs where an unbounded log would be a memory leak.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DialectName, RecordedAuth } from './dialect.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** The query parameters (first value of each), e.g. `{ "api-version": "2024-10-21" }`; `{}` without a query. */
  query: Record<string, string>;
  /** Which provider's API the request spoke, judged from its path and headers. */
  dialect: DialectName;
  /** The key the request carried and where (header or `?key=`), as that dialect reads it; null without one. */
  auth: RecordedAuth | null;
  /** As Node received them: lower-case names. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` when there was none or it was not valid JSON. */
  body: unknown;
  /** Epoch milliseconds at which the request was received. */
  receivedAt: number;
}

/** A ring buffer: O(1) per request however long the run, keeping only the most recent `capacity` entries. */
export class RequestLog {
  private readonly slots: (RecordedRequest | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<RecordedRequest | undefined>(capacity);
  }

  push(request: RecordedRequest): void {
    if (this.capacity === 0) return;
    this.slots[this.next] = request;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first. A copy: later requests do not change an array a test already holds. */
  snapshot(): RecordedRequest[] {
    const result: RecordedRequest[] = [];
    const start = (this.next - this.size + this.capacity) % Math.max(this.capacity, 1);
    for (let i = 0; i < this.size; i++) {
      const entry = this.slots[(start + i) % this.capacity];
      if (entry) result.push(entry);
    }
    return result;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}
