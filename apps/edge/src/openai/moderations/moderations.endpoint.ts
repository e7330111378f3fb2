import { compile, DEFAULT_MODERATION_MODEL, ModerationRequest } from '@tollgate/contracts';
import { checkBody } from '../body-check.js';
import type { EndpointSpec } from '../endpoint.js';
import { inputOnlyBilling } from '../token-usage.js';

const contract = compile(ModerationRequest);

/**
 * `POST /v1/moderations`. `input` is a string, a list of strings, or a list
 * of multimodal parts (`{type: 'text', text}` / `{type: 'image_url', …}`).
 * Billed by input tokens (the price may well be 0); OpenAI reports no usage,
 * so the count is the gateway's own.
 */
export const moderationsEndpoint: EndpointSpec = {
  endpoint: 'moderations',
  defaultModel: DEFAULT_MODERATION_MODEL,
  streams: false,

  validate(body): void {
    checkBody(contract, body);
  },

  ...inputOnlyBilling,
};
