import { compile, DEFAULT_IMAGE_MODEL, ImageGenerationRequest, usageOf } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { JsonObject } from '../body-fields.js';
import { checkBody } from '../body-check.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { longerThan } from '../text-length.js';

const contract = compile(ImageGenerationRequest);

const modelOf = (body: JsonObject): string => (typeof body.model === 'string' ? body.model : DEFAULT_IMAGE_MODEL);

/** `size` as compared with the capability table (which keeps sizes lower case). */
const sizeOf = (body: JsonObject): string | undefined =>
  typeof body.size === 'string' ? body.size.trim().toLowerCase() : undefined;

/**
 * `POST /v1/images/generations`, checked against the model's capabilities
 * (the documented 400 rows: prompt_missing, prompt_too_long, n_not_within_range,
 * size_not_supported) and billed per image at the requested size.
 */
export function imagesEndpoint(capabilities: ModelCapabilities): EndpointSpec {
  return {
    endpoint: 'images.generations',
    defaultModel: DEFAULT_IMAGE_MODEL,
    streams: false,

    validate(body): void {
      checkBody(contract, body);
      // The documented rows, in the table's order, after the types: what they allow depends on the model.
      if (!body.prompt) throw new DenialException(DenialReason.PromptMissing);
      const limits = capabilities.image(modelOf(body));
      if (longerThan(body.prompt, limits.promptMaxChars)) throw new DenialException(DenialReason.PromptTooLong);
      if (typeof body.n === 'number' && (body.n < limits.nMin || body.n > limits.nMax)) {
        throw new DenialException(DenialReason.NNotWithinRange);
      }
      const size = sizeOf(body);
      if (size !== undefined && !limits.sizes.includes(size)) throw new DenialException(DenialReason.SizeNotSupported);
    },

    estimate(body): RequestEstimate {
      return {
        inputTokens: 0,
        inputAllowanceTokens: 0,
        outputTokens: 0,
        images: typeof body.n === 'number' ? body.n : 1,
        imageSize: sizeOf(body) ?? capabilities.image(modelOf(body)).defaultSize,
        characters: 0,
      };
    },

    /** Charged for the images actually produced. */
    usageFromResponse(json, _body, estimate) {
      const data = json?.data;
      return usageOf({ images: Array.isArray(data) ? data.length : estimate.images });
    },
  };
}
