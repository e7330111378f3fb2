import { compile, EmbeddingRequest } from '@tollgate/contracts';
import { checkBody } from '../body-check.js';
import type { EndpointSpec } from '../endpoint.js';
import { inputOnlyBilling } from '../token-usage.js';

const contract = compile(EmbeddingRequest);

/** `POST /v1/embeddings`: input tokens only, nothing generated. */
export const embeddingsEndpoint: EndpointSpec = {
  endpoint: 'embeddings',
  streams: false,

  validate(body): void {
    checkBody(contract, body);
  },

  ...inputOnlyBilling,
};
