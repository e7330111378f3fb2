import { isJsonObject, type JsonObject } from '../../json.js';
import type { CanonicalRequest, UpstreamCall } from '../../provider-adapter.js';
import { noCounterpart, refuse } from './gemini-refusal.js';
import { geminiHeaders, modelName, modelUrl } from './gemini-urls.js';

/** Read by the translation; `user` is a hint and ignored. */
const KNOWN = new Set(['model', 'input', 'dimensions', 'encoding_format', 'user']);

function texts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input;
  throw refuse('input', 'input must be a string or an array of strings on gemini channels (Gemini takes no token ids)');
}

/** `:batchEmbedContents`, one request per input string; `dimensions` is Gemini's outputDimensionality. */
export function geminiEmbeddingsCall(request: CanonicalRequest): UpstreamCall {
  const { body, upstreamModel } = request;
  for (const [field, value] of Object.entries(body)) {
    if (value !== undefined && value !== null && !KNOWN.has(field)) throw noCounterpart(field);
  }
  const dimensions = body.dimensions ?? undefined;
  const requests = texts(body.input).map((text) => ({
    model: modelName(upstreamModel),
    content: { parts: [{ text }] },
    ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }),
  }));
  return {
    method: 'POST',
    url: modelUrl(request.target, upstreamModel, 'batchEmbedContents'),
    headers: geminiHeaders(request.target, 'application/json', true),
    body: JSON.stringify({ requests }),
  };
}

/** OpenAI's base64 form: the vector's float32 values, little-endian, as its SDKs decode it. */
function base64Floats(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString('base64');
}

/**
 * `{ embeddings: [{ values }] }` as OpenAI's list, in input order. Gemini
 * reports no usage for embeddings, so there is none: the edge charges the
 * input it counted before the call.
 */
export function geminiEmbeddingsAnswer(request: CanonicalRequest, json: JsonObject): JsonObject {
  const base64 = request.body.encoding_format === 'base64';
  const embeddings = Array.isArray(json.embeddings) ? json.embeddings : [];
  const data = embeddings.map((embedding: unknown, index) => {
    const values =
      isJsonObject(embedding) && Array.isArray(embedding.values)
        ? embedding.values.filter((value): value is number => typeof value === 'number')
        : [];
    return { object: 'embedding', index, embedding: base64 ? base64Floats(values) : values };
  });
  return { object: 'list', data, model: request.upstreamModel };
}
