import type { Usage, UsageEstimate } from '@tollgate/contracts';
import { countPromptInput, countText, InputCount } from '../relay/usage-estimate.js';
import { numberField, type EndpointSpec, type JsonObject } from './endpoint.js';

/** The input tokens an OpenAI-form `usage` reports (`{ usage: {...} }` is passed as `holder`), or null. */
export const reportedInputTokens = (holder: JsonObject | null): number | null =>
  numberField(holder, ['usage', 'prompt_tokens']);

/**
 * The usage of a token-billed answer: what the upstream reported in its
 * `usage` object (`{ usage: {...} }` is passed as `holder`), and for what it
 * did not report, the input as estimated before the call and the output
 * counted with the tokenizer from the text actually produced — so an
 * upstream that omits usage is billed for what it delivered, not for nothing
 * and not for the whole hold.
 */
export function tokenUsage(holder: JsonObject | null, estimate: UsageEstimate, produced: () => string[]): Usage {
  const outputTokens =
    numberField(holder, ['usage', 'completion_tokens']) ??
    produced().reduce((total, text) => total + countText(text), 0);
  return {
    inputTokens: reportedInputTokens(holder) ?? estimate.inputTokens,
    outputTokens,
    images: 0,
    characters: 0,
  };
}

/**
 * Endpoints billed on their input alone (embeddings, moderations): the hold
 * is the input counted with the tokenizer, the charge what the upstream
 * reported, else that count.
 */
export const inputOnlyBilling: Pick<EndpointSpec, 'estimate' | 'usageFromResponse'> = {
  estimate: (body) => {
    const input = new InputCount();
    countPromptInput(body.input, input);
    return {
      inputTokens: input.total,
      inputAllowanceTokens: input.allowed,
      outputTokens: 0,
      images: 0,
      imageSize: null,
      characters: 0,
    };
  },
  usageFromResponse: (json, _body, estimate) => ({
    inputTokens: reportedInputTokens(json) ?? estimate.inputTokens,
    outputTokens: 0,
    images: 0,
    characters: 0,
  }),
};
