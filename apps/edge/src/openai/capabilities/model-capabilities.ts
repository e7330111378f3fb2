import { DEFAULT_IMAGE_CAPABILITIES, DEFAULT_SPEECH_CAPABILITIES } from './default-capabilities.js';
import { NO_OVERRIDES } from './capability-overrides.js';
import { transcriptionCapabilities, type TranscriptionCapabilities } from './transcription-capabilities.js';
import {
  ANY_MODEL,
  type CapabilityOverrides,
  type ImageCapabilities,
  type SpeechCapabilities,
} from './model-capability.types.js';

function mergeImage(model: string, base: ImageCapabilities, change: Partial<ImageCapabilities>): ImageCapabilities {
  const merged: ImageCapabilities = { ...base, ...change };
  // New sizes without a new default: keep the old default if it is still offered, else the first size.
  if (change.defaultSize === undefined && !merged.sizes.includes(merged.defaultSize)) {
    merged.defaultSize = merged.sizes[0] ?? merged.defaultSize;
  }
  if (!merged.sizes.includes(merged.defaultSize)) {
    throw new Error(`images.${model}.default_size "${merged.defaultSize}" is not one of its sizes`);
  }
  if (merged.nMin > merged.nMax) {
    throw new Error(`images.${model}: n_min (${merged.nMin}) is greater than n_max (${merged.nMax})`);
  }
  return Object.freeze(merged);
}

/**
 * The per-model limits body validation checks (image prompt length, sizes
 * and n; speech input length): OpenAI's published limits built in, changed
 * per deployment by the MODEL_CAPABILITIES setting.
 *
 * Admins edit the table through configuration rather than an admin route on
 * purpose: an edge keeps no state, and a table changed in one replica's
 * memory would make replicas disagree on what is a valid request. A config
 * change reaches every replica alike with the next rollout.
 */
export class ModelCapabilities {
  private readonly images = new Map<string, ImageCapabilities>();
  private readonly speechModels = new Map<string, SpeechCapabilities>();
  private readonly anyImage: ImageCapabilities;
  private readonly anySpeech: SpeechCapabilities;

  /** Throws (naming the entry) when the overrides leave an entry inconsistent. */
  constructor(overrides: CapabilityOverrides = NO_OVERRIDES) {
    const imageDefault = DEFAULT_IMAGE_CAPABILITIES[ANY_MODEL];
    this.anyImage = mergeImage(ANY_MODEL, imageDefault, overrides.images[ANY_MODEL] ?? {});
    for (const [model, own] of Object.entries(DEFAULT_IMAGE_CAPABILITIES)) {
      if (model !== ANY_MODEL) this.images.set(model, mergeImage(model, own, overrides.images[model] ?? {}));
    }
    for (const [model, change] of Object.entries(overrides.images)) {
      if (model !== ANY_MODEL && !this.images.has(model))
        this.images.set(model, mergeImage(model, this.anyImage, change));
    }

    const speechDefault = DEFAULT_SPEECH_CAPABILITIES[ANY_MODEL];
    this.anySpeech = Object.freeze({ ...speechDefault, ...overrides.speech[ANY_MODEL] });
    for (const [model, own] of Object.entries(DEFAULT_SPEECH_CAPABILITIES)) {
      if (model !== ANY_MODEL) this.speechModels.set(model, Object.freeze({ ...own, ...overrides.speech[model] }));
    }
    for (const [model, change] of Object.entries(overrides.speech)) {
      if (model !== ANY_MODEL && !this.speechModels.has(model)) {
        this.speechModels.set(model, Object.freeze({ ...this.anySpeech, ...change }));
      }
    }
  }

  image(model: string): ImageCapabilities {
    return this.images.get(model) ?? this.anyImage;
  }

  speech(model: string): SpeechCapabilities {
    return this.speechModels.get(model) ?? this.anySpeech;
  }

  /** Transcriptions and translations: the built-in table (MODEL_CAPABILITIES does not change it yet). */
  transcription(model: string): TranscriptionCapabilities {
    return transcriptionCapabilities(model);
  }
}
