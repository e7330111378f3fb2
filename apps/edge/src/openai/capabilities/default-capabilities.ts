import { ANY_MODEL, type ImageCapabilities, type SpeechCapabilities } from './model-capability.types.js';

const GPT_IMAGE: ImageCapabilities = {
  promptMaxChars: 32_000,
  sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'],
  defaultSize: 'auto',
  nMin: 1,
  nMax: 10,
};

/**
 * Built-in limits, from OpenAI's API reference. `*` is the documented
 * default for image models the table does not name: lenient (every size
 * OpenAI offers, n 1–10) because the upstream checks again, but with a
 * prompt limit so that `prompt_too_long` still means something.
 */
export const DEFAULT_IMAGE_CAPABILITIES: Readonly<Record<string, ImageCapabilities>> = {
  'dall-e-2': {
    promptMaxChars: 1_000,
    sizes: ['256x256', '512x512', '1024x1024'],
    defaultSize: '1024x1024',
    nMin: 1,
    nMax: 10,
  },
  'dall-e-3': {
    promptMaxChars: 4_000,
    sizes: ['1024x1024', '1792x1024', '1024x1792'],
    defaultSize: '1024x1024',
    nMin: 1,
    nMax: 1,
  },
  'gpt-image-1': GPT_IMAGE,
  'gpt-image-1-mini': GPT_IMAGE,
  [ANY_MODEL]: {
    promptMaxChars: 4_000,
    sizes: ['256x256', '512x512', '1024x1024', '1536x1024', '1024x1536', '1792x1024', '1024x1792', 'auto'],
    defaultSize: '1024x1024',
    nMin: 1,
    nMax: 10,
  },
};

/** OpenAI's speech models all take at most 4,096 characters of input; so does any other by default. */
export const DEFAULT_SPEECH_CAPABILITIES: Readonly<Record<string, SpeechCapabilities>> = {
  'tts-1': { inputMaxChars: 4_096 },
  'tts-1-hd': { inputMaxChars: 4_096 },
  'gpt-4o-mini-tts': { inputMaxChars: 4_096 },
  [ANY_MODEL]: { inputMaxChars: 4_096 },
};
