import { isJsonObject, type JsonObject } from './json.js';

const MAX_WRAPPED_MESSAGE = 2000;

/** The fields of an OpenAI-shaped error body (`{ error: { message, type, code } }`, or `{ error: "text" }`). */
export interface OpenAiErrorFields {
  message: string | null;
  type: string | null;
  code: string | null;
}

/** The one reader of OpenAI's error shape, for the relay, the router's channel tests and every adapter. */
export function openAiErrorOf(json: JsonObject | null): OpenAiErrorFields {
  const error = json?.error;
  if (typeof error === 'string') return { message: error, type: null, code: null };
  if (!isJsonObject(error)) return { message: null, type: null, code: null };
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return { message: text(error.message), type: text(error.type), code: text(error.code) };
}

/** OpenAI's `error.code`, else its `error.type`: what the router's health rules read. */
export function openAiErrorCode(json: JsonObject | null): string | null {
  const fields = openAiErrorOf(json);
  return fields.code ?? fields.type;
}

/** An error body in OpenAI's shape: an OpenAI-shaped one as it is, anything else wrapped with its text. */
export function asOpenAiError(json: JsonObject | null, raw: Buffer): JsonObject {
  if (isJsonObject(json?.error)) return json;
  return openAiError(
    raw.toString('utf8').slice(0, MAX_WRAPPED_MESSAGE) || 'The upstream provider refused the request.',
    'upstream_error',
    null,
  );
}

export function openAiError(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): JsonObject {
  return { error: { message, type, param, code } };
}
