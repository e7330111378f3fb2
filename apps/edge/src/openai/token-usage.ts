import { usageOf, type Usage, type UsageEstimate } from '@tollgate/contracts';
import { countPromptInput, countText, InputCount } from '../relay/usage-estimate.js';
import { numberField, type EndpointSpec, type JsonObject } from './endpoint.js';

/** The input tokens an OpenAI-form `usage` reports (`{ usage: {...} }` is passed as `holder`), or null. */
export const reportedInputTokens = (holder: JsonObject | null): number | null =>
  numberField(holder, ['usage', 'prompt_tokens']);

/**
 * The parts of the input and output an OpenAI-form `usage` reports, priced
 * apart by billing: `prompt_tokens_details.cached_tokens` (read from the
 * prompt cache), `prompt_tokens_details.cache_write_tokens` (written to it:
 * the name the gateway's adapters give Anthropic's and Gemini's cache writes
 * in OpenAI form) and `completion_tokens_details.reasoning_tokens`. Each is
 * part of `prompt_tokens` or `completion_tokens`, not added to it; a part
 * the upstream does not report is 0. This is the one place the edge reads
 * them; billing keeps each part within its whole.
 */
export function tokenParts(
  holder: JsonObject | null,
): Pick<Usage, 'cachedInputTokens' | 'cacheWriteTokens' | 'reasoningTokens'> {
  return {
    cachedInputTokens: numberField(holder, ['usage', 'prompt_tokens_details', 'cached_tokens']) ?? 0,
    cacheWriteTokens: numberField(holder, ['usage', 'prompt_tokens_details', 'cache_write_tokens']) ?? 0,
    reasoningTokens: numberField(holder, ['usage', 'completion_tokens_details', 'reasoning_tokens']) ?? 0,
  };
}

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
    ...tokenParts(holder),
    images: 0,
    characters: 0,
    audioSeconds: 0,
  };
}

/**
 * Endpoints billed on their input alone (embeddings, moderations): the hold
 * is the input counted with the tokenizer, the charge what the upstream
 * reported, else that count. They neither cache nor reason.
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
  usageFromResponse: (json, _body, estimate) =>
    usageOf({ inputTokens: reportedInputTokens(json) ?? estimate.inputTokens }),
};
