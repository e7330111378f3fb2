import { isJsonObject, type JsonObject } from '../../json.js';

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;

/**
 * Chat's usage in Anthropic's form. Chat's `prompt_tokens` counts every
 * input token, cached ones included; Anthropic's `input_tokens` leaves out
 * the tokens read from the cache (`cache_read_input_tokens`) and written to
 * it (`cache_creation_input_tokens`, chat's `cache_write_tokens`, which the
 * gateway's adapters report), so the three add up to chat's count.
 */
export function anthropicUsage(usage: unknown): JsonObject {
  const u = isJsonObject(usage) ? usage : {};
  const details = isJsonObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cacheRead = count(details.cached_tokens);
  const cacheWrite = count(details.cache_write_tokens);
  return {
    input_tokens: Math.max(count(u.prompt_tokens) - cacheRead - cacheWrite, 0),
    output_tokens: count(u.completion_tokens),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}
