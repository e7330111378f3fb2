import { compile, COMPLETIONS_DEFAULT_MAX_TOKENS, CompletionRequest } from '@tollgate/contracts';
import { countIfText, countPromptInput, InputCount } from '../../relay/usage-estimate.js';
import { checkBody } from '../body-check.js';
import { responseTexts } from '../choice-text.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { tokenUsage } from '../token-usage.js';

const contract = compile(CompletionRequest);

/** How many prompts a `prompt` holds: a list of strings or of token arrays is a batch. */
function promptCount(prompt: unknown): number {
  if (!Array.isArray(prompt)) return 1;
  const items = prompt as unknown[];
  return items.length > 0 && items.every((item) => typeof item === 'string' || Array.isArray(item)) ? items.length : 1;
}

/** `POST /v1/completions`, the legacy text completions (`prompt` instead of `messages`). */
export const completionsEndpoint: EndpointSpec = {
  endpoint: 'completions',
  streams: true,

  validate(body): void {
    checkBody(contract, body);
  },

  estimate(body): RequestEstimate {
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : COMPLETIONS_DEFAULT_MAX_TOKENS;
    // best_of candidates are generated (and billed) server-side even though only n come back.
    const perPrompt = Math.max(
      typeof body.n === 'number' ? body.n : 1,
      typeof body.best_of === 'number' ? body.best_of : 1,
    );
    const input = new InputCount();
    countPromptInput(body.prompt, input);
    // Insertion mode: the text after the completion is input too.
    input.counted += countIfText(body.suffix);
    return {
      inputTokens: input.total,
      inputAllowanceTokens: input.allowed,
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
