import { isJsonObject, type JsonObject } from '../../json.js';
import type { StreamTranslator } from '../../provider-adapter.js';
import type { SseEvent } from '../../sse-event-splitter.js';
import { chatUsageOf } from './responses-usage.js';

/** The events that end a Responses stream; each carries the whole response, its usage in it. */
const TERMINAL_EVENTS: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete', 'response.failed']);

const textChunk = (delta: JsonObject): JsonObject => ({
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: null }],
});

function parsed(event: SseEvent): JsonObject | null {
  if (event.data === null) return null;
  try {
    const value: unknown = JSON.parse(event.data);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Reads a native Responses stream for the edge's accounting (the client
 * gets the upstream's own bytes): each piece of generated text, refusal
 * and function arguments as a chat chunk (counted if no usage comes), the
 * terminal event's usage as chat's usage chunk then `[DONE]`, and an
 * `error` event as an in-band `{ error }`.
 */
export class ResponsesStreamTap implements StreamTranslator {
  private done = false;

  event(event: SseEvent): Array<JsonObject | '[DONE]'> {
    if (this.done) return [];
    const data = parsed(event);
    const type = data?.type;
    if (!data || typeof type !== 'string') return [];
    const delta = typeof data.delta === 'string' ? data.delta : '';
    switch (type) {
      case 'response.output_text.delta':
        return delta === '' ? [] : [textChunk({ content: delta })];
      case 'response.refusal.delta':
        return delta === '' ? [] : [textChunk({ refusal: delta })];
      case 'response.function_call_arguments.delta':
        return delta === '' ? [] : [textChunk({ tool_calls: [{ index: 0, function: { arguments: delta } }] })];
      case 'error':
        return [
          {
            error: { message: data.message, type: 'server_error', code: data.code ?? null, param: data.param ?? null },
          },
        ];
      default:
        break;
    }
    if (!TERMINAL_EVENTS.has(type)) return [];
    this.done = true;
    const usage = isJsonObject(data.response) ? chatUsageOf(data.response.usage) : null;
    return usage ? [{ object: 'chat.completion.chunk', choices: [], usage }, '[DONE]'] : ['[DONE]'];
  }

  /** A stream that ended without its terminal event owes nothing more: the edge counts what the deltas showed. */
  end(): Array<JsonObject | '[DONE]'> {
    return [];
  }
}
