import { isJsonObject, type JsonObject } from '../../json.js';

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;

/**
 * Chat's usage in the Responses API's form: the same counts under other
 * names (`input_tokens` includes the cached ones, as `prompt_tokens` does;
 * `output_tokens` the reasoning ones).
 */
export function responsesUsage(usage: unknown): JsonObject {
  const u = isJsonObject(usage) ? usage : {};
  const prompt = isJsonObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const completion = isJsonObject(u.completion_tokens_details) ? u.completion_tokens_details : {};
  const input = count(u.prompt_tokens);
  const output = count(u.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(prompt.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(completion.reasoning_tokens) },
    total_tokens: input + output,
  };
}

/** A native Response's usage in chat form, which the edge bills from; null when it has none. */
export function chatUsageOf(usage: unknown): JsonObject | null {
  if (!isJsonObject(usage)) return null;
  const input = isJsonObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isJsonObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const prompt = count(usage.input_tokens);
  const completion = count(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(input.cached_tokens) },
    completion_tokens_details: { reasoning_tokens: count(output.reasoning_tokens) },
  };
}
