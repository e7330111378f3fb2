import { checkTextOrTokens, invalid, optionalChoice, optionalInteger, optionalString } from '../body-fields.js';
import type { EndpointSpec } from '../endpoint.js';
import { inputOnlyBilling } from '../token-usage.js';

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

  ...inputOnlyBilling,
};
