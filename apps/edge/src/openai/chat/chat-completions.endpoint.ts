import { ChatCompletionRequest, compile } from '@tollgate/contracts';
import { countChatInput } from '../../relay/chat-input.js';
import { checkBody } from '../body-check.js';
import { responseTexts } from '../choice-text.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { tokenUsage } from '../token-usage.js';

const contract = compile(ChatCompletionRequest);

export const chatCompletionsEndpoint: EndpointSpec = {
  endpoint: 'chat.completions',
  streams: true,

  validate(body): void {
    checkBody(contract, body);
  },

  estimate(body, config): RequestEstimate {
    const n = typeof body.n === 'number' ? body.n : 1;
    const maxOutput =
      (body.max_completion_tokens as number | null | undefined) ??
      (body.max_tokens as number | null | undefined) ??
      config.DEFAULT_MAX_OUTPUT_TOKENS;
    const input = countChatInput(body);
    return {
      inputTokens: input.total,
      inputAllowanceTokens: input.allowed,
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
