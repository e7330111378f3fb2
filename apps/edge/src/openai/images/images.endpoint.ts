import { compile, DEFAULT_IMAGE_MODEL, ImageGenerationRequest, usageOf } from '@tollgate/contracts';
import { checkBody } from '../body-check.js';
import type { JsonObject } from '../body-fields.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { checkImageRules, imageEstimate } from './image-rules.js';

const contract = compile(ImageGenerationRequest);

/** Charged for the images actually produced (the answer's `data`), else for those held. */
export function imagesProduced(json: JsonObject | null, estimate: { images: number }) {
  const data = json?.data;
  return usageOf({ images: Array.isArray(data) ? data.length : estimate.images });
}

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
      checkImageRules(body, capabilities);
    },

    estimate(body): RequestEstimate {
      return imageEstimate(body, capabilities);
    },

    usageFromResponse: (json, _body, estimate) => imagesProduced(json, estimate),
  };
}
