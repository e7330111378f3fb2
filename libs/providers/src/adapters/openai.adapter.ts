import type { UpstreamEndpoint } from '@tollgate/contracts';
import { isJsonObject, type JsonObject } from '../json.js';
import { asOpenAiError, openAiErrorCode } from '../openai-error.js';
import type { ChannelTarget, ProviderAdapter, RefusalClass } from '../provider-adapter.js';
import { JSON_OR_STREAM, OPENAI_PATHS, openAiPath, pingCompletion } from './openai-paths.js';

/**
 * The headers of a call, built as one object literal: Node 20's V8 takes
 * about a microsecond to spread an object into a literal that goes on with
 * more properties, which on the request path is paid for every request.
 */
const headers = (target: ChannelTarget, accept: string, contentType: string | null): Record<string, string> =>
  contentType
    ? { authorization: `Bearer ${target.apiKey}`, 'content-type': contentType, accept }
    : { authorization: `Bearer ${target.apiKey}`, accept };

/**
 * Retry on another channel for provider rate limits, provider errors and
 * for 401/403, which mean the channel's own key is dead (the client's key
 * was already accepted). Every OpenAI-dialect upstream (Azure included)
 * answers with these statuses.
 */
export function classifyOpenAiRefusal(status: number, json: JsonObject | null): RefusalClass {
  return {
    retryable: status === 429 || status >= 500 || status === 401 || status === 403,
    errorCode: openAiErrorCode(json),
  };
}

/** OpenAI's model list: `{ data: [{ id }] }`. */
export function openAiModelIds(json: JsonObject): string[] {
  const data = json.data;
  if (!Array.isArray(data)) return [];
  return data.flatMap((model: unknown) => (isJsonObject(model) && typeof model.id === 'string' ? [model.id] : []));
}

// OpenAI's codes for a key that no retry or cooldown will bring back.
export const OPENAI_DEAD_KEY_CODES: ReadonlySet<string> = new Set([
  'invalid_api_key',
  'insufficient_quota',
  'account_deactivated',
  'billing_not_active',
  'billing_hard_limit_reached',
  'access_terminated',
]);

/**
 * What every OpenAI-dialect adapter shares (OpenAI's own, Azure's): the
 * answers and streams are OpenAI's already, refusals and errors read the
 * OpenAI way, the model list is OpenAI's.
 */
export const OPENAI_DIALECT = {
  answer: () => null,
  streamTranslator: () => null,
  classify: classifyOpenAiRefusal,
  clientError: (_status, json, raw) => asOpenAiError(json, raw),
  modelIds: openAiModelIds,
  deadKeyErrorCodes: OPENAI_DEAD_KEY_CODES,
} satisfies Partial<ProviderAdapter>;

/**
 * OpenAI and every OpenAI-compatible upstream (vLLM, Ollama, DeepSeek,
 * Groq, OpenRouter…): the base URL includes the version path (`…/v1`), the
 * body is sent as the client wrote it (the model name mapped), the answer
 * passed back as it came.
 */
export const openAiAdapter: ProviderAdapter = {
  type: 'openai',
  endpoints: new Set(Object.keys(OPENAI_PATHS) as UpstreamEndpoint[]),
  request: (request) => ({
    method: 'POST',
    url: request.target.baseUrl + openAiPath(request.endpoint),
    headers: headers(request.target, JSON_OR_STREAM, request.contentType),
    body: request.openAiBytes(),
  }),
  ...OPENAI_DIALECT,
  keyCheck: (target) => ({
    method: 'GET',
    url: `${target.baseUrl}/models`,
    headers: headers(target, 'application/json', null),
  }),
  storedResponse: (target, responseId, method) => ({
    method,
    url: `${target.baseUrl}/responses/${encodeURIComponent(responseId)}`,
    headers: headers(target, 'application/json', null),
  }),
  testCompletion: (target, upstreamModel) => ({
    method: 'POST',
    url: `${target.baseUrl}/chat/completions`,
    headers: headers(target, 'application/json', 'application/json'),
    body: pingCompletion(upstreamModel),
  }),
};
