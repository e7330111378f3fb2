import type { UpstreamEndpoint } from '@tollgate/contracts';
import type { ChannelTarget, ProviderAdapter } from '../../provider-adapter.js';
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

const CHAT_ONLY: ReadonlySet<UpstreamEndpoint> = new Set(['chat.completions']);

/**
 * Anthropic's Messages API (`{base}/v1/messages`, base
 * `https://api.anthropic.com`): chat completions translated to it and its
 * answers, streams and errors translated back to OpenAI's form.
 */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  endpoints: CHAT_ONLY,
  request: (request) => ({
    method: 'POST',
    url: messagesUrl(request.target),
    headers: headers(request.target, JSON_OR_STREAM),
    body: JSON.stringify(anthropicMessagesBody(request)),
  }),
  answer: (_request, json) => chatCompletionOf(json),
  streamTranslator: () => new AnthropicStreamTranslator(),
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
