import {
  dialectErrorOf,
  isJsonObject,
  SseEventSplitter,
  type ChatStreamEncoder,
  type DialectError,
  type JsonObject,
  type SseEvent,
  type StreamTranslator,
} from '@tollgate/providers';
import { choiceText } from '../openai/choice-text.js';

export interface StreamFilterOptions {
  /**
   * Drop the usage-only chunk (`choices: []` with `usage`): the edge asked
   * the upstream for it to bill the request, the client did not.
   */
  stripUsageChunk: boolean;
  /** The model name chunks must show when the channel maps it to another; null = leave `model` alone. */
  clientModel: string | null;
  /**
   * The adapter's translator when the upstream streams another dialect:
   * its events become OpenAI chunks first, then pass the same rules.
   */
  translator?: StreamTranslator | null;
  /**
   * A client dialect's encoder (Responses, Messages) when the stream is
   * translated for it: the OpenAI chunks (the upstream's, or the
   * translator's) are accounted as usual, then sent as the dialect's events.
   */
  encoder?: ChatStreamEncoder | null;
  /**
   * A native client-dialect stream (Responses on OpenAI, Messages on
   * Anthropic): the upstream's events pass to the client as they came, and
   * the tap reads them as OpenAI chunks for accounting only.
   */
  tap?: StreamTranslator | null;
  /** Added to in-band errors a translator reports, as to every error the gateway sends. */
  tid?: string;
}

/**
 * What the edge does to a chat / completions event stream on its way to the
 * client, one upstream chunk at a time: every complete event passes through
 * byte for byte (an OpenAI-dialect upstream) or as the translator's OpenAI
 * chunks (any other), except the usage-only chunk the client did not ask for
 * (dropped) and chunks naming a mapped model (their `model` rewritten).
 * Meanwhile it keeps what billing needs: the upstream's usage, if it sends
 * any, and the text produced, to count tokens when it does not.
 */
export class StreamFilter {
  /** The last `usage` object seen in the stream, as `{ usage }`; null if none came. */
  usageHolder: JsonObject | null = null;
  /** The stream's `data: [DONE]` arrived. */
  sawDone = false;
  /** An in-band error arrived (the upstream's, or a translator's for its dialect's `error` event). */
  sawError = false;
  private readonly splitter = new SseEventSplitter();
  /** Text pieces per choice index, joined only if the count is needed. */
  private readonly pieces = new Map<number, string[]>();

  constructor(private readonly options: StreamFilterOptions) {}

  /** The bytes to send to the client for this upstream chunk ('' when no event completed). */
  push(chunk: Buffer | string): string {
    let out = '';
    const { translator, tap } = this.options;
    for (const event of this.splitter.push(chunk)) {
      if (tap) out += this.tapped(event, tap.event(event));
      else out += translator ? this.emitAll(translator.event(event)) : this.transform(event);
    }
    return out;
  }

  /** The end of a complete stream: an unterminated last event is passed on as it is (or translated). */
  end(): string {
    const { translator, tap, encoder } = this.options;
    const rest = this.splitter.rest();
    if (tap) {
      let out = '';
      if (rest.trim() !== '')
        for (const event of this.splitter.push(`${rest}\n\n`)) out += this.tapped(event, tap.event(event));
      this.account(tap.end());
      return out;
    }
    if (!translator && !encoder) return rest;
    let out = '';
    if (rest.trim() !== '') {
      for (const event of this.splitter.push(`${rest}\n\n`)) {
        out += translator ? this.emitAll(translator.event(event)) : this.transform(event);
      }
    }
    if (translator) out += this.emitAll(translator.end());
    return encoder && !this.sawError ? out + encoder.end() : out;
  }

  /**
   * What the client reads when the upstream breaks off mid-stream, in the
   * client's dialect: the status line went out long ago, so the error
   * travels in-band (the official SDKs raise it), then the stream ends.
   */
  failure(error: DialectError): string {
    const encoder = this.options.encoder;
    if (encoder) return encoder.fail(error);
    return `data: ${JSON.stringify({ error })}\n\ndata: [DONE]\n\n`;
  }

  /** The end of a broken stream: a half-received event would corrupt what follows, so it is dropped. */
  discard(): void {
    this.splitter.rest();
  }

  /** The text generated so far, one string per choice. */
  producedText(): string[] {
    return [...this.pieces.values()].map((pieces) => pieces.join(''));
  }

  private transform(event: SseEvent): string {
    const data = event.data;
    if (data === null) return event.raw;
    if (data === '[DONE]') {
      this.sawDone = true;
      return event.raw;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      // Not ours to judge: the client gets what the upstream sent (unless it reads another dialect).
      return this.options.encoder ? '' : event.raw;
    }
    if (!isJsonObject(chunk)) return this.options.encoder ? '' : event.raw;
    if (this.options.encoder) return this.encode(chunk);
    if (!this.keep(chunk)) return '';

    const clientModel = this.options.clientModel;
    if (clientModel !== null && typeof chunk.model === 'string' && chunk.model !== clientModel) {
      chunk.model = clientModel;
      return replaceData(event, data, JSON.stringify(chunk));
    }
    return event.raw;
  }

  /** Notes the chunk's usage and text; false for the usage-only chunk the client did not ask for. */
  private keep(chunk: JsonObject): boolean {
    if (isJsonObject(chunk.error)) this.sawError = true;
    const usage = chunk.usage;
    if (isJsonObject(usage)) this.usageHolder = { usage };
    const choices = chunk.choices;
    if (Array.isArray(choices)) {
      if (choices.length === 0 && isJsonObject(usage) && this.options.stripUsageChunk) return false;
      for (const choice of choices as unknown[]) this.collect(choice);
    }
    return true;
  }

  /** A native event, passed on as it came (its model renamed when mapped), after the tap accounted it. */
  private tapped(event: SseEvent, chunks: Array<JsonObject | '[DONE]'>): string {
    this.account(chunks);
    const clientModel = this.options.clientModel;
    const data = event.data;
    if (clientModel === null || data === null || !data.includes('"model"')) return event.raw;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return event.raw;
    }
    return isJsonObject(parsed) && renameModel(parsed, clientModel)
      ? replaceData(event, data, JSON.stringify(parsed))
      : event.raw;
  }

  /** A tap's chunks: counted, never sent. */
  private account(chunks: Array<JsonObject | '[DONE]'>): void {
    for (const chunk of chunks) {
      if (chunk === '[DONE]') this.sawDone = true;
      else this.keep(chunk);
    }
  }

  /** One OpenAI chunk of a translated stream, accounted, as the client dialect's events. */
  private encode(chunk: JsonObject): string {
    const encoder = this.options.encoder as ChatStreamEncoder;
    if (isJsonObject(chunk.error)) {
      this.sawError = true;
      return encoder.fail(
        dialectErrorOf(chunk.error, this.options.tid ?? '', 'The upstream provider reported an error.'),
      );
    }
    this.keep(chunk);
    return encoder.chunk(chunk);
  }

  /** A translator's chunks as OpenAI events (they are built by the gateway, so serialised once, here). */
  private emitAll(items: Array<JsonObject | '[DONE]'>): string {
    let out = '';
    for (const item of items) {
      if (item === '[DONE]') {
        this.sawDone = true;
        if (!this.options.encoder) out += 'data: [DONE]\n\n';
        continue;
      }
      if (isJsonObject(item.error) && this.options.tid) item.error = { ...item.error, tid: this.options.tid };
      if (this.options.encoder) {
        out += this.encode(item);
        continue;
      }
      if (!this.keep(item)) continue;
      if (this.options.clientModel !== null && typeof item.model === 'string') item.model = this.options.clientModel;
      out += `data: ${JSON.stringify(item)}\n\n`;
    }
    return out;
  }

  private collect(choice: unknown): void {
    const index = isJsonObject(choice) && typeof choice.index === 'number' ? choice.index : 0;
    if (!Number.isInteger(index) || index < 0 || index > 1024) return;
    let pieces = this.pieces.get(index);
    if (!pieces) this.pieces.set(index, (pieces = []));
    choiceText(choice, pieces);
  }
}

/**
 * Names the client's model where a native dialect's event names one: at the
 * top (`model`), in a Responses event's `response`, in an Anthropic
 * `message_start`'s `message`. True when something changed.
 */
function renameModel(event: JsonObject, clientModel: string): boolean {
  let changed = false;
  for (const holder of [event, event.response, event.message]) {
    if (isJsonObject(holder) && typeof holder.model === 'string' && holder.model !== clientModel) {
      holder.model = clientModel;
      changed = true;
    }
  }
  return changed;
}

/** The event with new data, keeping its framing (event/id lines, line ends) when the data was one line. */
function replaceData(event: SseEvent, oldData: string, newData: string): string {
  const at = oldData.includes('\n') ? -1 : event.raw.indexOf(oldData);
  return at === -1 ? `data: ${newData}\n\n` : event.raw.slice(0, at) + newData + event.raw.slice(at + oldData.length);
}
