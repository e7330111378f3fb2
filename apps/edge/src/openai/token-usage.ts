import type { Usage, UsageEstimate } from '@tollgate/contracts';
import { countText } from '../relay/usage-estimate.js';
import { numberField, type JsonObject } from './endpoint.js';

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
    inputTokens: numberField(holder, ['usage', 'prompt_tokens']) ?? estimate.inputTokens,
    outputTokens,
    images: 0,
    characters: 0,
  };
}
