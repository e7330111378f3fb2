import type { CapabilityOverrides, ImageCapabilities, SpeechCapabilities } from './model-capability.types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON names of the fields (snake_case, like the rest of the admin API). */
const IMAGE_FIELDS = ['prompt_max_chars', 'sizes', 'default_size', 'n_min', 'n_max'] as const;
const SPEECH_FIELDS = ['input_max_chars'] as const;
const SIZE = /^(\d{2,5}x\d{2,5}|auto)$/;

function positiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function size(value: unknown, where: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!SIZE.test(text))
    throw new Error(`${where} must be a size like "1024x1024" or "auto", got ${JSON.stringify(value)}`);
  return text;
}

function onlyKnownKeys(entry: Json, known: readonly string[], where: string): void {
  for (const key of Object.keys(entry)) {
    if (!known.includes(key)) throw new Error(`${where}: unknown field "${key}" (known: ${known.join(', ')})`);
  }
}

function imageEntry(entry: unknown, where: string): Partial<ImageCapabilities> {
  if (!isObject(entry)) throw new Error(`${where} must be an object`);
  onlyKnownKeys(entry, IMAGE_FIELDS, where);
  const out: Partial<ImageCapabilities> = {};
  if (entry.prompt_max_chars !== undefined) {
    out.promptMaxChars = positiveInteger(entry.prompt_max_chars, `${where}.prompt_max_chars`);
  }
  if (entry.sizes !== undefined) {
    if (!Array.isArray(entry.sizes) || entry.sizes.length === 0)
      throw new Error(`${where}.sizes must be a non-empty array`);
    out.sizes = (entry.sizes as unknown[]).map((item, i) => size(item, `${where}.sizes[${i}]`));
  }
  if (entry.default_size !== undefined) out.defaultSize = size(entry.default_size, `${where}.default_size`);
  if (entry.n_min !== undefined) out.nMin = positiveInteger(entry.n_min, `${where}.n_min`);
  if (entry.n_max !== undefined) out.nMax = positiveInteger(entry.n_max, `${where}.n_max`);
  return out;
}

function speechEntry(entry: unknown, where: string): Partial<SpeechCapabilities> {
  if (!isObject(entry)) throw new Error(`${where} must be an object`);
  onlyKnownKeys(entry, SPEECH_FIELDS, where);
  return entry.input_max_chars === undefined
    ? {}
    : { inputMaxChars: positiveInteger(entry.input_max_chars, `${where}.input_max_chars`) };
}

function section<T>(value: unknown, where: string, parse: (entry: unknown, where: string) => T): Record<string, T> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`${where} must be an object keyed by model`);
  const out: Record<string, T> = {};
  for (const [model, entry] of Object.entries(value)) {
    if (model.trim() === '') throw new Error(`${where}: a model name must not be empty`);
    out[model] = parse(entry, `${where}.${model}`);
  }
  return out;
}

export const NO_OVERRIDES: CapabilityOverrides = Object.freeze({ images: {}, speech: {} });

/**
 * Reads the MODEL_CAPABILITIES setting, e.g.
 * `{"images":{"dall-e-3":{"n_max":2},"my-model":{"sizes":["1024x1024"]}},"speech":{"*":{"input_max_chars":8192}}}`.
 * Every entry is a partial change of the built-in entry of that model (or of
 * the `*` default for a model the table does not know). Anything it does not
 * understand is an error naming the place, so a typo stops start-up instead
 * of being ignored.
 */
export function parseCapabilityOverrides(text: string): CapabilityOverrides {
  if (text.trim() === '') return NO_OVERRIDES;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON');
  }
  if (!isObject(json)) throw new Error('must be a JSON object with "images" and/or "speech"');
  onlyKnownKeys(json, ['images', 'speech'], 'MODEL_CAPABILITIES');
  return {
    images: section(json.images, 'images', imageEntry),
    speech: section(json.speech, 'speech', speechEntry),
  };
}
