import type { UsageEstimate } from '@tollgate/contracts';
import { countInputTokens } from '../../relay/usage-estimate.js';
import { checkTextOrTokens, invalid, optionalChoice, optionalInteger, optionalString } from '../body-fields.js';
import { numberField, type EndpointSpec } from '../endpoint.js';

/** OpenAI's bound on the number of inputs in one embeddings request. */
const MAX_INPUTS = 2048;

/** `POST /v1/embeddings`: input tokens only, nothing generated. */
export const embeddingsEndpoint: EndpointSpec = {
  upstreamPath: '/embeddings',
  streams: false,

  validate(body): void {
    checkTextOrTokens(body, 'input');
    if (body.input === '') throw invalid('input', 'input must not be empty');
    if (Array.isArray(body.input) && body.input.length > MAX_INPUTS) {
      throw invalid('input', `input must have at most ${MAX_INPUTS} items`);
    }
    optionalChoice(body, 'encoding_format', ['float', 'base64']);
    optionalInteger(body, 'dimensions', 1);
    optionalString(body, 'user');
  },

  estimate(body): UsageEstimate {
    return { inputTokens: countInputTokens(body.input), outputTokens: 0, images: 0, imageSize: null, characters: 0 };
  },

  usageFromResponse(json, _body, estimate) {
    return {
      inputTokens: numberField(json, ['usage', 'prompt_tokens']) ?? estimate.inputTokens,
      outputTokens: 0,
      images: 0,
      characters: 0,
    };
  },
};
