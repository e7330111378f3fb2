import { isJsonObject, type JsonObject } from '../../json.js';
import { asOpenAiError, openAiError } from '../../openai-error.js';
import type { RefusalClass } from '../../provider-adapter.js';

/** `error.type` of Anthropic's error body (`{ type: 'error', error: { type, message } }`). */
export function anthropicErrorType(json: JsonObject | null): string | null {
  const error = json?.error;
  return isJsonObject(error) && typeof error.type === 'string' ? error.type : null;
}

/**
 * Retried on another channel: rate limits (429), overload (529) and other
 * provider errors (5xx), and the channel's own account failing — a dead or
 * unauthorised key (401, 403) or no credit left (402). Everything else is
 * the request's problem, passed on.
 */
export function classifyAnthropicRefusal(status: number, json: JsonObject | null): RefusalClass {
  return {
    retryable: status === 429 || status >= 500 || status === 401 || status === 402 || status === 403,
    errorCode: anthropicErrorType(json),
  };
}

/**
 * Error types that no retry or cooldown cures: a rejected key, and an
 * account whose billing failed. Not `permission_error`: Anthropic uses it for
 * a key refused one model or resource, which says nothing of the key's
 * other uses (the router's health rules still count a 403 against the key,
 * as for every type).
 */
export const ANTHROPIC_DEAD_KEY_CODES: ReadonlySet<string> = new Set(['authentication_error', 'billing_error']);

/** An Anthropic error as OpenAI's `{ error: { message, type, param, code } }`, its type as the code too. */
export function anthropicClientError(json: JsonObject | null, raw: Buffer): JsonObject {
  const error = json?.error;
  if (!isJsonObject(error)) return asOpenAiError(json, raw);
  const type = typeof error.type === 'string' ? error.type : 'upstream_error';
  const message = typeof error.message === 'string' ? error.message : 'The upstream provider refused the request.';
  return openAiError(message, type, type);
}
