import type { UpstreamEndpoint } from '@tollgate/contracts';
import type { CanonicalRequest, ChannelTarget, ProviderAdapter, UpstreamCall } from '../../provider-adapter.js';
import { JSON_OR_STREAM } from '../openai-paths.js';
import { openAiModelIds } from '../openai.adapter.js';
import { chatCompletionOf } from './anthropic-answer.js';
import { ANTHROPIC_DEAD_KEY_CODES, anthropicClientError, classifyAnthropicRefusal } from './anthropic-errors.js';
import { anthropicMessagesBody } from './anthropic-request.js';
import { AnthropicStreamTranslator } from './anthropic-stream.js';

/** The Messages API version every call names; the shapes translated here are this version's. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic's model list pages at 20 by default; 1000 is its most, so one page holds every model. */
const MODEL_PAGE = 1000;

const headers = (target: ChannelTarget, accept: string) => ({
  'x-api-key': target.apiKey,
  'anthropic-version': ANTHROPIC_VERSION,
  'content-type': 'application/json',
  accept,
});

const messagesUrl = (target: ChannelTarget) => `${target.baseUrl}/v1/messages`;

const ENDPOINTS: ReadonlySet<UpstreamEndpoint> = new Set(['chat.completions', 'messages', 'messages.count_tokens']);

/**
 * A Messages API request as the client wrote it (Claude Code, the Anthropic
 * SDKs): its bytes, under the client's own `anthropic-version` (the shapes
 * it sends are that version's) and `anthropic-beta` features.
 */
function nativeCall(request: CanonicalRequest): UpstreamCall {
  const path = request.endpoint === 'messages.count_tokens' ? '/v1/messages/count_tokens' : '/v1/messages';
  const callHeaders: Record<string, string> = {
    'x-api-key': request.target.apiKey,
    'anthropic-version': request.nativeHeaders['anthropic-version'] ?? ANTHROPIC_VERSION,
    'content-type': 'application/json',
    accept: JSON_OR_STREAM,
  };
  const beta = request.nativeHeaders['anthropic-beta'];
  if (beta !== undefined) callHeaders['anthropic-beta'] = beta;
  return { method: 'POST', url: request.target.baseUrl + path, headers: callHeaders, body: request.openAiBytes() };
}

const isNative = (request: CanonicalRequest): boolean => request.endpoint !== 'chat.completions';

/**
 * Anthropic's Messages API (`{base}/v1/messages`, base
 * `https://api.anthropic.com`): chat completions translated to it and its
 * answers, streams and errors translated back to OpenAI's form; a Messages
 * request (and count_tokens) from a client that speaks it, sent as it came.
 */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  endpoints: ENDPOINTS,
  request: (request) =>
    isNative(request)
      ? nativeCall(request)
      : {
          method: 'POST',
          url: messagesUrl(request.target),
          headers: headers(request.target, JSON_OR_STREAM),
          body: JSON.stringify(anthropicMessagesBody(request)),
        },
  answer: (request, json) => (isNative(request) ? null : chatCompletionOf(json)),
  streamTranslator: (request) => (isNative(request) ? null : new AnthropicStreamTranslator()),
  classify: classifyAnthropicRefusal,
  clientError: (_status, json, raw) => anthropicClientError(json, raw),
  keyCheck: (target) => ({
    method: 'GET',
    url: `${target.baseUrl}/v1/models?limit=${MODEL_PAGE}`,
    headers: { 'x-api-key': target.apiKey, 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json' },
  }),
  testCompletion: (target, upstreamModel) => ({
    method: 'POST',
    url: messagesUrl(target),
    headers: headers(target, 'application/json'),
    body: JSON.stringify({ model: upstreamModel, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
  }),
  // Anthropic's list has OpenAI's shape: `{ data: [{ id }] }`.
  modelIds: openAiModelIds,
  deadKeyErrorCodes: ANTHROPIC_DEAD_KEY_CODES,
};
