import type { UsageEstimate } from '@tollgate/contracts';
import { countInputTokens } from '../../relay/usage-estimate.js';
import {
  checkN,
  checkSamplingFields,
  checkStreamFields,
  checkTextOrTokens,
  optionalBoolean,
  optionalInteger,
} from '../body-fields.js';
import { responseTexts } from '../choice-text.js';
import type { EndpointSpec } from '../endpoint.js';
import { tokenUsage } from '../token-usage.js';

/** The legacy endpoint's own default for `max_tokens` (OpenAI API reference). */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
const MAX_CHOICES = 128;

/** How many prompts a `prompt` holds: a list of strings or of token arrays is a batch. */
function promptCount(prompt: unknown): number {
  if (!Array.isArray(prompt)) return 1;
  const items = prompt as unknown[];
  return items.length > 0 && items.every((item) => typeof item === 'string' || Array.isArray(item)) ? items.length : 1;
}

/** `POST /v1/completions`, the legacy text completions (`prompt` instead of `messages`). */
export const completionsEndpoint: EndpointSpec = {
  upstreamPath: '/completions',
  streams: true,

  validate(body): void {
    checkTextOrTokens(body, 'prompt');
    // 0 is allowed here (with `echo`, to score a prompt without generating).
    optionalInteger(body, 'max_tokens', 0);
    checkN(body, 1, MAX_CHOICES);
    optionalInteger(body, 'best_of', 1, 20);
    optionalInteger(body, 'logprobs', 0, 5);
    optionalBoolean(body, 'echo');
    checkStreamFields(body);
    checkSamplingFields(body);
  },

  estimate(body): UsageEstimate {
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : COMPLETIONS_DEFAULT_MAX_TOKENS;
    // best_of candidates are generated (and billed) server-side even though only n come back.
    const perPrompt = Math.max(
      typeof body.n === 'number' ? body.n : 1,
      typeof body.best_of === 'number' ? body.best_of : 1,
    );
    return {
      inputTokens: countInputTokens(body.prompt),
      outputTokens: maxTokens * perPrompt * promptCount(body.prompt),
      images: 0,
      imageSize: null,
      characters: 0,
    };
  },

  usageFromResponse(json, _body, estimate) {
    return tokenUsage(json, estimate, () => responseTexts(json));
  },
};
