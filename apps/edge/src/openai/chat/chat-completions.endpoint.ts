import type { UsageEstimate } from '@tollgate/contracts';
import { countChatTokens } from '../../relay/usage-estimate.js';
import { invalid, numberField, requirePositiveInteger, type EndpointSpec, type JsonObject } from '../endpoint.js';

export const chatCompletionsEndpoint: EndpointSpec = {
  upstreamPath: '/chat/completions',

  validate(body: JsonObject): void {
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw invalid('messages', 'messages must be a non-empty array');
    }
    for (const message of messages) {
      if (!message || typeof message !== 'object' || typeof (message as JsonObject).role !== 'string') {
        throw invalid('messages', 'each message must be an object with a role');
      }
    }
    requirePositiveInteger(body, 'max_tokens');
    requirePositiveInteger(body, 'max_completion_tokens');
    requirePositiveInteger(body, 'n');
    if (body.stream !== undefined && typeof body.stream !== 'boolean')
      throw invalid('stream', 'stream must be a boolean');
  },

  estimate(body, config): UsageEstimate {
    const n = typeof body.n === 'number' ? body.n : 1;
    const maxOutput =
      (body.max_completion_tokens as number | undefined) ??
      (body.max_tokens as number | undefined) ??
      config.DEFAULT_MAX_OUTPUT_TOKENS;
    return {
      inputTokens: countChatTokens(body.messages),
      outputTokens: maxOutput * n,
      images: 0,
      imageSize: null,
      characters: 0,
    };
  },

  usageFromResponse(json, _body, estimate) {
    return {
      inputTokens: numberField(json, ['usage', 'prompt_tokens']) ?? estimate.inputTokens,
      outputTokens: numberField(json, ['usage', 'completion_tokens']) ?? 0,
      images: 0,
      characters: 0,
    };
  },
};
