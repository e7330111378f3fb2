import { compile, SpeechRequest, usageOf } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { checkBody } from '../body-check.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { characterCount, longerThan } from '../text-length.js';

const contract = compile(SpeechRequest);

/**
 * `POST /v1/audio/speech`: the answer is audio, passed through as it comes;
 * billed per character of input (the documented text_too_long row guards it).
 */
export function speechEndpoint(capabilities: ModelCapabilities): EndpointSpec {
  return {
    endpoint: 'audio.speech',
    streams: false,

    validate(body): void {
      checkBody(contract, body);
      // The documented row, after the types: the longest input is the model's.
      if (longerThan(body.input, capabilities.speech(body.model).inputMaxChars)) {
        throw new DenialException(DenialReason.TextTooLong);
      }
    },

    estimate(body): RequestEstimate {
      return {
        inputTokens: 0,
        inputAllowanceTokens: 0,
        outputTokens: 0,
        images: 0,
        imageSize: null,
        characters: characterCount(body.input as string),
      };
    },

    usageFromResponse(_json, _body, estimate) {
      return usageOf({ characters: estimate.characters });
    },
  };
}
