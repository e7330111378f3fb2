import type { JsonObject } from '../../json.js';
import type { CanonicalRequest, UpstreamCall } from '../../provider-adapter.js';
import { geminiConversation } from './gemini-contents.js';
import { generationConfig } from './gemini-generation-config.js';
import { noCounterpart, refuse } from './gemini-refusal.js';
import { geminiTools } from './gemini-tools.js';
import { geminiHeaders, modelUrl } from './gemini-urls.js';

/** Read by the translation (or by the edge: `stream_options.include_usage`). */
const TRANSLATED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'temperature',
  'top_p',
  'top_k',
  'presence_penalty',
  'frequency_penalty',
  'stop',
  'seed',
  'response_format',
  'tools',
  'tool_choice',
  'reasoning_effort',
]);

/**
 * Harmless hints, ignored: end-user ids and metadata (bookkeeping for the
 * provider, not generation), OpenAI's storage and tier options, its prompt
 * cache key (Gemini caches implicitly), and `parallel_tool_calls` (Gemini
 * has no switch for it; it calls in parallel when the task needs it).
 */
const IGNORED = new Set([
  'user',
  'metadata',
  'store',
  'service_tier',
  'parallel_tool_calls',
  'safety_identifier',
  'prompt_cache_key',
]);

/** Parameters that are harmless in their "off" value and refused otherwise. */
const OFF_VALUES: Readonly<Record<string, (value: unknown) => boolean>> = {
  logprobs: (value) => value === false,
  top_logprobs: (value) => value === 0,
  logit_bias: (value) => typeof value === 'object' && value !== null && Object.keys(value).length === 0,
  modalities: (value) => Array.isArray(value) && value.every((modality) => modality === 'text'),
};

/** Gemini 3 and later refuse a function call in the history without a thought signature. */
const signsFunctionCalls = (model: string): boolean => Number(/gemini-(\d+)/.exec(model)?.[1] ?? 0) >= 3;

/** Google's documented signature for function calls Gemini did not produce (or whose signature was lost). */
export const SKIP_SIGNATURE_CHECK = 'skip_thought_signature_validator';

function checkParameters(body: JsonObject): void {
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || value === null || TRANSLATED.has(field) || IGNORED.has(field)) continue;
    const off = Object.hasOwn(OFF_VALUES, field) ? OFF_VALUES[field] : undefined;
    if (off?.(value)) continue;
    throw noCounterpart(field);
  }
}

/** The generateContent request body for a chat completion. */
export function geminiChatBody(request: CanonicalRequest): JsonObject {
  const { body } = request;
  checkParameters(body);
  if (!Array.isArray(body.messages)) throw refuse('messages', 'messages must be an array');
  const conversation = geminiConversation(body.messages, {
    signatureFallback: signsFunctionCalls(request.upstreamModel) ? SKIP_SIGNATURE_CHECK : null,
  });
  const out: JsonObject = { contents: conversation.contents };
  if (conversation.systemInstruction) out.systemInstruction = conversation.systemInstruction;
  Object.assign(out, geminiTools(body.tools, body.tool_choice));
  const config = generationConfig(body);
  if (config) out.generationConfig = config;
  return out;
}

/** `:generateContent`, or `:streamGenerateContent?alt=sse` (server-sent events, one response per event). */
export function geminiChatCall(request: CanonicalRequest): UpstreamCall {
  const method = request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return {
    method: 'POST',
    url: modelUrl(request.target, request.upstreamModel, method),
    headers: geminiHeaders(request.target, request.stream ? 'text/event-stream' : 'application/json', true),
    body: JSON.stringify(geminiChatBody(request)),
  };
}
