import { isJsonObject, type JsonObject } from '../../json.js';
import type { StreamTranslator } from '../../provider-adapter.js';
import type { SseEvent } from '../../sse-event-splitter.js';
import {
  candidateOutput,
  candidatesOf,
  completionId,
  finishReasonOf,
  promptBlocked,
  usageOf,
} from './gemini-candidate.js';
import { geminiErrorOf, openAiFormOf } from './gemini-error.js';

type Out = Array<JsonObject | '[DONE]'>;

/**
 * `streamGenerateContent?alt=sse` as OpenAI chunks. Each event is a whole
 * GenerateContentResponse holding the new parts of each candidate: text
 * becomes content deltas, a function call (Gemini sends each whole) one
 * tool-call delta with its complete arguments, a candidate's finishReason
 * its finish chunk. usageMetadata is cumulative and complete in the last
 * event, so the last one seen becomes the usage chunk once the stream ends
 * (the stream has no end marker of its own); an `error` object in the
 * stream becomes an in-band error in OpenAI's shape, then `[DONE]`.
 */
export class GeminiStreamTranslator implements StreamTranslator {
  private id: string | null = null;
  private readonly created = Math.floor(Date.now() / 1000);
  /** Candidates whose first chunk (with the role) was sent. */
  private readonly started = new Set<number>();
  private readonly finished = new Set<number>();
  /** Tool calls sent so far per candidate: the next call's `index`. */
  private readonly calls = new Map<number, number>();
  private usage: JsonObject | null = null;
  private blocked = false;
  private over = false;

  constructor(private readonly model: string) {}

  event(event: SseEvent): Out {
    if (this.over || event.data === null) return [];
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      return []; // not an event Gemini documents; nothing to translate
    }
    if (!isJsonObject(json)) return [];
    const error = geminiErrorOf(json);
    if (error) {
      this.over = true;
      return [openAiFormOf(error), '[DONE]'];
    }
    this.id ??= completionId(json);
    this.usage = usageOf(json.usageMetadata) ?? this.usage;
    if (promptBlocked(json)) this.blocked = true;

    const out: Out = [];
    candidatesOf(json).forEach((candidate, position) => {
      const index = typeof candidate.index === 'number' ? candidate.index : position;
      if (this.finished.has(index)) return;
      const { text, toolCalls } = candidateOutput(candidate);
      const delta: JsonObject = {};
      if (!this.started.has(index)) {
        this.started.add(index);
        delta.role = 'assistant';
        delta.content = text;
      } else if (text !== '') {
        delta.content = text;
      }
      if (toolCalls.length > 0) {
        const first = this.calls.get(index) ?? 0;
        this.calls.set(index, first + toolCalls.length);
        delta.tool_calls = toolCalls.map((call, k) => ({ index: first + k, ...call }));
      }
      if (Object.keys(delta).length > 0) out.push(this.chunk(index, delta, null));
      if (typeof candidate.finishReason === 'string') {
        this.finished.add(index);
        out.push(this.chunk(index, {}, finishReasonOf(candidate.finishReason, this.calls.has(index))));
      }
    });
    return out;
  }

  end(): Out {
    if (this.over) return [];
    this.over = true;
    const out: Out = [];
    if (this.started.size === 0) {
      this.started.add(0);
      out.push(this.chunk(0, { role: 'assistant', content: '' }, null));
    }
    for (const index of this.started) {
      if (this.finished.has(index)) continue;
      const reason = this.blocked ? 'content_filter' : finishReasonOf(null, this.calls.has(index));
      out.push(this.chunk(index, {}, reason));
    }
    // Without upstream usage the edge counts the streamed text itself; a usage chunk of zeros would bill nothing.
    if (this.usage) out.push({ ...this.base(), choices: [], usage: this.usage });
    out.push('[DONE]');
    return out;
  }

  private base(): JsonObject {
    this.id ??= completionId({});
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(index: number, delta: JsonObject, finishReason: string | null): JsonObject {
    return { ...this.base(), choices: [{ index, delta, logprobs: null, finish_reason: finishReason }] };
  }
}
