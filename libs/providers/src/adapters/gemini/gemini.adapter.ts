import type { UpstreamEndpoint } from '@tollgate/contracts';
import { isJsonObject, type JsonObject } from '../../json.js';
import type { ProviderAdapter } from '../../provider-adapter.js';
import { geminiChatAnswer } from './gemini-chat-answer.js';
import { geminiChatCall } from './gemini-chat-request.js';
import { geminiEmbeddingsAnswer, geminiEmbeddingsCall } from './gemini-embeddings.js';
import { classifyGeminiRefusal, GEMINI_DEAD_KEY_CODES, geminiClientError } from './gemini-error.js';
import { GeminiStreamTranslator } from './gemini-stream-translator.js';
import { apiRoot, geminiHeaders, modelUrl } from './gemini-urls.js';

const GEMINI_ENDPOINTS: ReadonlySet<UpstreamEndpoint> = new Set(['chat.completions', 'embeddings']);

/** Gemini's model list names models `models/{id}`; the id is what a channel maps to. */
export function geminiModelIds(json: JsonObject): string[] {
  const models = json.models;
  if (!Array.isArray(models)) return [];
  return models.flatMap((model: unknown) =>
    isJsonObject(model) && typeof model.name === 'string' ? [model.name.replace(/^models\//, '')] : [],
  );
}

/**
 * Google's Gemini API (the Generative Language API): chat completions
 * translated to and from generateContent, embeddings to batchEmbedContents,
 * the key in the `x-goog-api-key` header. The base URL is the API's host
 * (`https://generativelanguage.googleapis.com`), the model the channel's
 * name for it (`gemini-2.5-flash`).
 */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  endpoints: GEMINI_ENDPOINTS,
  request: (request) => {
    if (request.endpoint === 'chat.completions') return geminiChatCall(request);
    if (request.endpoint === 'embeddings') return geminiEmbeddingsCall(request);
    throw new Error(`gemini channels do not serve ${request.endpoint}`);
  },
  answer: (request, json) =>
    request.endpoint === 'embeddings' ? geminiEmbeddingsAnswer(request, json) : geminiChatAnswer(request, json),
  streamTranslator: (request) => new GeminiStreamTranslator(request.upstreamModel),
  classify: classifyGeminiRefusal,
  clientError: geminiClientError,
  keyCheck: (target) => ({
    method: 'GET',
    // The largest page Gemini allows, so the model ids are all in the one answer.
    url: `${apiRoot(target)}/models?pageSize=1000`,
    headers: geminiHeaders(target, 'application/json', false),
  }),
  testCompletion: (target, upstreamModel) => ({
    method: 'POST',
    url: modelUrl(target, upstreamModel, 'generateContent'),
    headers: geminiHeaders(target, 'application/json', true),
    body: JSON.stringify({
      contents: [{ role: 'user', parts: [{ text: 'ping' }] }],
      generationConfig: { maxOutputTokens: 1 },
    }),
  }),
  modelIds: geminiModelIds,
  deadKeyErrorCodes: GEMINI_DEAD_KEY_CODES,
};
