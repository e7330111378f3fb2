import { isJsonObject, type JsonObject } from '../../json.js';

export interface AnthropicStop {
  stop_reason: string;
  stop_sequence: string | null;
}

/**
 * Chat's `finish_reason` as Anthropic's `stop_reason`. `stop` is
 * `end_turn` unless the upstream says which of the client's stop sequences
 * it met — vLLM-style servers name it in the choice's `stop_reason` — for
 * OpenAI's `stop` does not tell a stop sequence from a natural end.
 * `content_filter` is Anthropic's `refusal`.
 */
export function anthropicStop(choice: JsonObject | null, request: JsonObject): AnthropicStop {
  switch (choice?.finish_reason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    default: {
      const matched = choice?.stop_reason;
      const sequences = Array.isArray(request.stop_sequences) ? (request.stop_sequences as unknown[]) : [];
      if (typeof matched === 'string' && sequences.includes(matched)) {
        return { stop_reason: 'stop_sequence', stop_sequence: matched };
      }
      return { stop_reason: 'end_turn', stop_sequence: null };
    }
  }
}

/** The first choice of a chat answer or chunk (the translation asks for one). */
export function firstChoice(chat: JsonObject): JsonObject | null {
  const choices = chat.choices;
  return Array.isArray(choices) && isJsonObject(choices[0]) ? choices[0] : null;
}
