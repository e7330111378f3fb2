import { isJsonObject, type JsonObject } from '../openai/body-fields.js';
import { choiceText } from '../openai/choice-text.js';
import { SseEventSplitter, type SseEvent } from '../upstream/sse-event-splitter.js';

export interface StreamFilterOptions {
  /**
   * Drop the usage-only chunk (`choices: []` with `usage`): the edge asked
   * the upstream for it to bill the request, the client did not.
   */
  stripUsageChunk: boolean;
  /** The model name chunks must show when the channel maps it to another; null = leave `model` alone. */
  clientModel: string | null;
}

/**
 * What the edge does to a chat / completions event stream on its way to the
 * client, one upstream chunk at a time: every complete event passes through
 * byte for byte, except the usage-only chunk the client did not ask for
 * (dropped) and chunks naming a mapped model (their `model` rewritten).
 * Meanwhile it keeps what billing needs: the upstream's usage, if it sends
 * any, and the text produced, to count tokens when it does not.
 */
export class StreamFilter {
  /** The last `usage` object seen in the stream, as `{ usage }`; null if none came. */
  usageHolder: JsonObject | null = null;
  /** The stream's `data: [DONE]` arrived. */
  sawDone = false;
  private readonly splitter = new SseEventSplitter();
  /** Text pieces per choice index, joined only if the count is needed. */
  private readonly pieces = new Map<number, string[]>();

  constructor(private readonly options: StreamFilterOptions) {}

  /** The bytes to send to the client for this upstream chunk ('' when no event completed). */
  push(chunk: Buffer | string): string {
    let out = '';
    for (const event of this.splitter.push(chunk)) out += this.transform(event);
    return out;
  }

  /** The end of a complete stream: an unterminated last event is passed on as it is. */
  end(): string {
    return this.splitter.rest();
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
      return event.raw; // not ours to judge: the client gets what the upstream sent
    }
    if (!isJsonObject(chunk)) return event.raw;

    const usage = chunk.usage;
    if (isJsonObject(usage)) this.usageHolder = { usage };
    const choices = chunk.choices;
    if (Array.isArray(choices)) {
      if (choices.length === 0 && isJsonObject(usage) && this.options.stripUsageChunk) return '';
      for (const choice of choices as unknown[]) this.collect(choice);
    }

    const clientModel = this.options.clientModel;
    if (clientModel !== null && typeof chunk.model === 'string' && chunk.model !== clientModel) {
      chunk.model = clientModel;
      return replaceData(event, data, JSON.stringify(chunk));
    }
    return event.raw;
  }

  private collect(choice: unknown): void {
    const index = isJsonObject(choice) && typeof choice.index === 'number' ? choice.index : 0;
    if (!Number.isInteger(index) || index < 0 || index > 1024) return;
    let pieces = this.pieces.get(index);
    if (!pieces) this.pieces.set(index, (pieces = []));
    choiceText(choice, pieces);
  }
}

/** The event with new data, keeping its framing (event/id lines, line ends) when the data was one line. */
function replaceData(event: SseEvent, oldData: string, newData: string): string {
  const at = oldData.includes('\n') ? -1 : event.raw.indexOf(oldData);
  return at === -1 ? `data: ${newData}\n\n` : event.raw.slice(0, at) + newData + event.raw.slice(at + oldData.length);
}
