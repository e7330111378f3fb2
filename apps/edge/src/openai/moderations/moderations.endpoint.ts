import { invalid, isJsonObject } from '../body-fields.js';
import type { EndpointSpec } from '../endpoint.js';
import { inputOnlyBilling } from '../token-usage.js';

/**
 * `POST /v1/moderations`. `input` is a string, a list of strings, or a list
 * of multimodal parts (`{type: 'text', text}` / `{type: 'image_url', …}`).
 * Billed by input tokens (the price may well be 0); OpenAI reports no usage,
 * so the count is the gateway's own.
 */
export const moderationsEndpoint: EndpointSpec = {
  upstreamPath: '/moderations',
  defaultModel: 'omni-moderation-latest',
  streams: false,

  validate(body): void {
    const input = body.input;
    if (input === undefined || input === null) throw invalid('input', 'input is required');
    if (typeof input === 'string') return;
    const items: unknown[] | null = Array.isArray(input) ? (input as unknown[]) : null;
    const valid =
      items !== null &&
      items.length > 0 &&
      (items.every((item) => typeof item === 'string') ||
        items.every((item) => isJsonObject(item) && typeof item.type === 'string'));
    if (!valid) throw invalid('input', 'input must be a string, an array of strings or an array of input parts');
  },

  ...inputOnlyBilling,
};
