import { isJsonObject, type JsonObject } from '../../json.js';

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;

/** Chat's usage as a Response's (`input_tokens`, `output_tokens` and their details). */
export function responsesUsage(usage: unknown): JsonObject | null {
  if (!isJsonObject(usage)) return null;
  const promptDetails = isJsonObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isJsonObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(promptDetails.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(completionDetails.reasoning_tokens) },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}

/**
 * A Response's usage in OpenAI chat form, which the edge bills from. Its
 * `input_tokens` counts every prompt token, the cached ones among them,
 * as chat's `prompt_tokens` does; `output_tokens` includes the reasoning.
 */
export function chatUsageOf(usage: unknown): JsonObject | null {
  if (!isJsonObject(usage)) return null;
  const inputDetails = isJsonObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = isJsonObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const prompt = count(usage.input_tokens);
  const completion = count(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(inputDetails.cached_tokens) },
    completion_tokens_details: { reasoning_tokens: count(outputDetails.reasoning_tokens) },
  };
}
