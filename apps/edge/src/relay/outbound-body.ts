import { isJsonObject, type JsonObject } from '../openai/body-fields.js';
import type { OutboundBytes } from './relay-exchange.js';

const INCLUDE_USAGE = Buffer.from(',"stream_options":{"include_usage":true}');
const OPENING_BRACE = 0x7b;
const CLOSING_BRACE = 0x7d;

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * `raw` with `"stream_options":{"include_usage":true}` added as the last
 * member, or null when that cannot be done by splicing bytes. Only for a
 * body that has members but no `stream_options` (so no key is duplicated).
 */
export function spliceIncludeUsage(raw: Buffer): Buffer | null {
  let end = raw.length - 1;
  while (end >= 0 && isJsonWhitespace(raw[end])) end--;
  if (end < 1 || raw[end] !== CLOSING_BRACE) return null;
  let before = end - 1;
  while (before >= 0 && isJsonWhitespace(raw[before])) before--;
  if (before < 0 || raw[before] === OPENING_BRACE) return null; // `{}`: no member to follow
  return Buffer.concat([raw.subarray(0, end), INCLUDE_USAGE, raw.subarray(end)]);
}

/**
 * The request body as sent to one channel, with the least work the changes
 * allow: the received bytes when nothing changes; the received bytes with
 * `stream_options.include_usage` spliced in when only that changes (a stream
 * the client did not ask usage for — the edge needs it to bill); a single
 * serialisation when the model changes (channel mapping, or a default model
 * the body did not name). Remembers the last one, as retries mostly reuse it.
 */
export class OutboundBody implements OutboundBytes {
  private readonly addIncludeUsage: boolean;
  private last: { upstreamModel: string; body: Buffer | string } | null = null;

  constructor(
    private readonly body: JsonObject,
    private readonly raw: Buffer | undefined,
    stream: boolean,
  ) {
    const options = body.stream_options;
    this.addIncludeUsage = stream && !(isJsonObject(options) && options.include_usage === true);
  }

  /** True when the client did not ask for the usage chunk the edge requests: the relay drops it again. */
  get usageAddedByEdge(): boolean {
    return this.addIncludeUsage;
  }

  contentType(): string {
    return 'application/json';
  }

  for(upstreamModel: string): Buffer | string {
    if (this.last?.upstreamModel === upstreamModel) return this.last.body;
    const body = this.build(upstreamModel);
    this.last = { upstreamModel, body };
    return body;
  }

  private build(upstreamModel: string): Buffer | string {
    const sameModel = this.body.model === upstreamModel;
    if (sameModel && this.raw) {
      if (!this.addIncludeUsage) return this.raw;
      if (!('stream_options' in this.body)) {
        const spliced = spliceIncludeUsage(this.raw);
        if (spliced) return spliced;
      }
    }
    const out: JsonObject = { ...this.body, model: upstreamModel };
    if (this.addIncludeUsage) {
      const options = this.body.stream_options;
      out.stream_options = { ...(isJsonObject(options) ? options : {}), include_usage: true };
    }
    return JSON.stringify(out);
  }
}
