import type { UsageEstimate } from '@tollgate/contracts';
import { countChatTokens } from '../../relay/usage-estimate.js';
import {
  checkN,
  checkSamplingFields,
  checkStreamFields,
  invalid,
  isJsonObject,
  optionalArray,
  optionalInteger,
} from '../body-fields.js';
import { responseTexts } from '../choice-text.js';
import type { EndpointSpec } from '../endpoint.js';
import { tokenUsage } from '../token-usage.js';

/** OpenAI's bound on `n` for chat completions. */
const MAX_CHOICES = 128;

export const chatCompletionsEndpoint: EndpointSpec = {
  upstreamPath: '/chat/completions',
  streams: true,

  validate(body): void {
    const messages = body.messages;
    if (messages === undefined || messages === null) throw invalid('messages', 'messages is required');
    if (!Array.isArray(messages) || messages.length === 0) {
      throw invalid('messages', 'messages must be a non-empty array');
    }
    for (const message of messages as unknown[]) {
      if (!isJsonObject(message) || typeof message.role !== 'string') {
        throw invalid('messages', 'each message must be an object with a role');
      }
    }
    optionalInteger(body, 'max_tokens', 1);
    optionalInteger(body, 'max_completion_tokens', 1);
    checkN(body, 1, MAX_CHOICES);
    checkStreamFields(body);
    checkSamplingFields(body);
    optionalArray(body, 'tools');
  },

  estimate(body, config): UsageEstimate {
    const n = typeof body.n === 'number' ? body.n : 1;
    const maxOutput =
      (body.max_completion_tokens as number | null | undefined) ??
      (body.max_tokens as number | null | undefined) ??
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
    return tokenUsage(json, estimate, () => responseTexts(json));
  },
};
