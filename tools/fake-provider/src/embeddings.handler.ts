/**
 * `POST /v1/embeddings`: deterministic vectors. The same input always yields the same vector, different
 * inputs (almost always) different ones, so a cache or a batching layer in the gateway can be verified.
 *
 * `encoding_format: "base64"` matters: the official SDK (v4.8+, v6) asks for base64 by default and decodes it as
 * little-endian float32. Components are multiples of 1/256, exactly representable as float32, so the float
 * and base64 answers decode to identical numbers.
 */
import { optionalInteger, optionalString, requiredPresent, requiredString } from './body-params.js';
import { fakePromptTokens } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { invalidRequest } from './openai-error.js';
import type { FakeRequestContext } from './request-context.js';

export const DEFAULT_EMBEDDING_DIMENSIONS = 8;
const MAX_DIMENSIONS = 4096;
const MAX_INPUTS = 2048;

/** One embedding per array item; a flat array of numbers is a single token-array input, as in OpenAI's API. */
function splitInputs(input: unknown): unknown[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0) {
    return input.every((item) => typeof item === 'number') ? [input] : input;
  }
  throw invalidRequest("Invalid 'input': expected a non-empty string or array.", 'input', 'invalid_value');
}

/** FNV-1a over the input's JSON: cheap, stable across runs and platforms. */
function hashInput(input: unknown): number {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Components in [-1, 1) in steps of 1/256, drawn from an xorshift32 stream seeded by the input. */
export function fakeEmbedding(input: unknown, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  let state = hashInput(input) || 1; // xorshift's only fixed point is 0
  const vector: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector.push(((state >>> 0) % 512) / 256 - 1);
  }
  return vector;
}

function toBase64Float32(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

export function handleEmbeddings(ctx: FakeRequestContext): void {
  const { body, controls } = ctx;
  const model = requiredString(body, 'model');
  const inputs = splitInputs(requiredPresent(body, 'input'));
  if (inputs.length > MAX_INPUTS)
    throw invalidRequest(`'input' must have at most ${MAX_INPUTS} items.`, 'input', 'invalid_value');
  const dimensions = optionalInteger(body, 'dimensions', 1, MAX_DIMENSIONS) ?? DEFAULT_EMBEDDING_DIMENSIONS;
  const format = optionalString(body, 'encoding_format') ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw invalidRequest(
      "Invalid 'encoding_format': expected 'float' or 'base64'.",
      'encoding_format',
      'invalid_value',
    );
  }

  const data = inputs.map((input, index) => {
    const vector = fakeEmbedding(input, dimensions);
    return { object: 'embedding', index, embedding: format === 'base64' ? toBase64Float32(vector) : vector };
  });
  const promptTokens = fakePromptTokens(body, controls);
  const usage = controls.omitUsage ? undefined : { prompt_tokens: promptTokens, total_tokens: promptTokens };
  sendJson(ctx.res, 200, JSON.stringify({ object: 'list', data, model, usage }));
}
