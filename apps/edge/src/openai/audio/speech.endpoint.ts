import type { UsageEstimate } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { invalid, isJsonObject, optionalChoice, optionalNumber, optionalString } from '../body-fields.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec } from '../endpoint.js';
import { characterCount, longerThan } from '../text-length.js';

const AUDIO_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;

/**
 * `POST /v1/audio/speech`: the answer is audio, passed through as it comes;
 * billed per character of input (the seed's text_too_long row guards it).
 */
export function speechEndpoint(capabilities: ModelCapabilities): EndpointSpec {
  return {
    upstreamPath: '/audio/speech',
    streams: false,

    validate(body): void {
      const input = body.input;
      if (input === undefined || input === null) throw invalid('input', 'input is required');
      if (typeof input !== 'string') throw invalid('input', 'input must be a string');
      if (input === '') throw invalid('input', 'input must not be empty');
      if (longerThan(input, capabilities.speech(body.model as string).inputMaxChars)) {
        throw new DenialException(DenialReason.TextTooLong);
      }
      const voice = body.voice;
      if (voice === undefined || voice === null) throw invalid('voice', 'voice is required');
      if (typeof voice !== 'string' && !isJsonObject(voice)) throw invalid('voice', 'voice must be a string');
      optionalChoice(body, 'response_format', AUDIO_FORMATS);
      optionalNumber(body, 'speed', 0.25, 4);
      optionalString(body, 'instructions');
    },

    estimate(body): UsageEstimate {
      return {
        inputTokens: 0,
        outputTokens: 0,
        images: 0,
        imageSize: null,
        characters: characterCount(body.input as string),
      };
    },

    usageFromResponse(_json, _body, estimate) {
      return { inputTokens: 0, outputTokens: 0, images: 0, characters: estimate.characters };
    },
  };
}
