import type { StreamTranslator } from '../../provider-adapter.js';
import type { SseEvent } from '../../sse-event-splitter.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import { chatUsageOf } from './responses-usage.js';

/** The events that end a Responses stream; each carries the whole response, its usage included. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * Reads a native Responses stream for the edge's accounting, as chat
 * chunks that are never sent: the text deltas (counted if no usage comes),
 * the usage of the terminal event, an `{ error }` for an `error` event or a
 * failed response (so a stream that failed before producing anything is
 * free), and `[DONE]` after the end.
 */
export class ResponsesStreamTap implements StreamTranslator {
  private done = false;

  event(event: SseEvent): Array<JsonObject | '[DONE]'> {
    if (this.done || event.data === null) return [];
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return [];
    }
    if (!isJsonObject(data) || typeof data.type !== 'string') return [];
    if (data.type === 'response.output_text.delta' && typeof data.delta === 'string') {
      return [{ choices: [{ index: 0, delta: { content: data.delta } }] }];
    }
    if (data.type === 'error') {
      return [
        { error: { message: data.message ?? 'The upstream provider reported an error.', code: data.code ?? null } },
      ];
    }
    if (!TERMINAL.has(data.type)) return [];
    this.done = true;
    const response = isJsonObject(data.response) ? data.response : {};
    const out: Array<JsonObject | '[DONE]'> = [];
    if (data.type === 'response.failed') {
      const error = isJsonObject(response.error) ? response.error : {};
      out.push({ error: { message: error.message ?? 'The response failed.', code: error.code ?? null } });
    }
    const usage = chatUsageOf(response.usage);
    if (usage) out.push({ choices: [], usage });
    out.push('[DONE]');
    return out;
  }

  end(): Array<JsonObject | '[DONE]'> {
    return [];
  }
}
