import { isJsonObject, type JsonObject, type SseEvent, type StreamTranslator } from '@tollgate/providers';
import { reportedTranscriptionUsage } from './transcription-usage.js';

/**
 * Reads a transcription stream (`transcript.text.delta` events, then
 * `transcript.text.done` with the usage) as chat chunks, for the relay's
 * accounting only: the client gets the upstream's events as they came
 * (StreamFilter's `tap`). A delta is a chunk of text; the done event's
 * token usage is the usage chunk (`choices: []`) billing charges.
 */
export class TranscriptStreamTap implements StreamTranslator {
  event(event: SseEvent): Array<JsonObject | '[DONE]'> {
    if (event.data === null) return [];
    if (event.data === '[DONE]') return ['[DONE]'];
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      return [];
    }
    if (!isJsonObject(parsed)) return [];
    if (isJsonObject(parsed.error)) return [{ error: parsed.error }];
    if (parsed.type === 'transcript.text.delta' && typeof parsed.delta === 'string') {
      return [{ choices: [{ index: 0, delta: { content: parsed.delta } }] }];
    }
    if (parsed.type === 'transcript.text.done') {
      const usage = reportedTranscriptionUsage(parsed);
      if (!usage || usage.audioSeconds > 0) return [];
      return [{ choices: [], usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens } }];
    }
    return [];
  }

  end(): Array<JsonObject | '[DONE]'> {
    return [];
  }
}
