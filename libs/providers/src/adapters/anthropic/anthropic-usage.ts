import { isJsonObject, type JsonObject } from '../../json.js';

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;

/**
 * The prompt side of OpenAI's usage from Anthropic's, whose `input_tokens`
 * leaves out the tokens read from and written to the prompt cache: OpenAI's
 * `prompt_tokens` counts all three, the details tell the cached ones apart.
 */
export function promptUsage(usage: unknown): JsonObject {
  const u = isJsonObject(usage) ? usage : {};
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  return {
    prompt_tokens: count(u.input_tokens) + cacheRead + cacheWrite,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

/**
 * OpenAI's usage object from Anthropic's. `output_tokens` includes the
 * thinking; Anthropic bills it as output and does not count it apart, so
 * no `reasoning_tokens` is reported.
 */
export function openAiUsage(usage: unknown): JsonObject {
  const prompt = promptUsage(usage);
  const completion = count(isJsonObject(usage) ? usage.output_tokens : undefined);
  return {
    prompt_tokens: prompt.prompt_tokens,
    completion_tokens: completion,
    total_tokens: (prompt.prompt_tokens as number) + completion,
    prompt_tokens_details: prompt.prompt_tokens_details,
  };
}

/**
 * Anthropic's `stop_reason` as OpenAI's `finish_reason`. `pause_turn`
 * (a server tool's long turn) and anything newer end the answer as a stop.
 */
export function finishReason(stopReason: unknown): string {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
