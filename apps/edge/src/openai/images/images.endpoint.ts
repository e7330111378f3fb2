import type { UsageEstimate } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { checkN, invalid, optionalBoolean, optionalChoice, optionalString, type JsonObject } from '../body-fields.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec } from '../endpoint.js';
import { longerThan } from '../text-length.js';

/** OpenAI's model when an image request names none. */
export const DEFAULT_IMAGE_MODEL = 'dall-e-2';

const modelOf = (body: JsonObject): string => (typeof body.model === 'string' ? body.model : DEFAULT_IMAGE_MODEL);

/** `size` as compared with the capability table (which keeps sizes lower case). */
const sizeOf = (body: JsonObject): string | undefined => optionalString(body, 'size')?.trim().toLowerCase();

/**
 * `POST /v1/images/generations`, checked against the model's capabilities
 * (the seed's 400 rows: prompt_missing, prompt_too_long, n_not_within_range,
 * size_not_supported) and billed per image at the requested size.
 */
export function imagesEndpoint(capabilities: ModelCapabilities): EndpointSpec {
  return {
    upstreamPath: '/images/generations',
    defaultModel: DEFAULT_IMAGE_MODEL,
    streams: false,

    validate(body): void {
      const prompt = body.prompt;
      if (prompt === undefined || prompt === null || prompt === '')
        throw new DenialException(DenialReason.PromptMissing);
      if (typeof prompt !== 'string') throw invalid('prompt', 'prompt must be a string');
      const limits = capabilities.image(modelOf(body));
      if (longerThan(prompt, limits.promptMaxChars)) throw new DenialException(DenialReason.PromptTooLong);

      checkN(body, limits.nMin, limits.nMax);
      const size = sizeOf(body);
      if (size !== undefined && !limits.sizes.includes(size)) throw new DenialException(DenialReason.SizeNotSupported);

      optionalChoice(body, 'response_format', ['url', 'b64_json']);
      optionalString(body, 'quality');
      optionalString(body, 'style');
      if (optionalBoolean(body, 'stream') === true) {
        throw invalid('stream', 'streaming image generation is not supported by this gateway');
      }
    },

    estimate(body): UsageEstimate {
      return {
        inputTokens: 0,
        outputTokens: 0,
        images: typeof body.n === 'number' ? body.n : 1,
        imageSize: sizeOf(body) ?? capabilities.image(modelOf(body)).defaultSize,
        characters: 0,
      };
    },

    /** Charged for the images actually produced. */
    usageFromResponse(json, _body, estimate) {
      const data = json?.data;
      return {
        inputTokens: 0,
        outputTokens: 0,
        images: Array.isArray(data) ? data.length : estimate.images,
        characters: 0,
      };
    },
  };
}
