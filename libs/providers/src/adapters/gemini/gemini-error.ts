import { isJsonObject, type JsonObject } from '../../json.js';
import { asOpenAiError, openAiError } from '../../openai-error.js';
import type { RefusalClass } from '../../provider-adapter.js';

/** Google's error envelope: `{ error: { code, message, status, details: [{ @type, reason, … }] } }`. */
interface GeminiError {
  message: string;
  /** The google.rpc status name: INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAVAILABLE… */
  status: string | null;
  /** The ErrorInfo detail's reason (API_KEY_INVALID…), when the error has one. */
  reason: string | null;
  /** The RetryInfo detail's delay in seconds (Gemini sends no Retry-After header). */
  retryDelaySeconds: number | null;
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';

/** A google.protobuf.Duration in JSON: `"30s"`, `"1.5s"`; null for anything else. */
function durationSeconds(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Math.ceil(Number(match[1])) : null;
}

/** The error in Google's shape; null when the body is not one. */
export function geminiErrorOf(json: JsonObject | null): GeminiError | null {
  const error = json?.error;
  if (!isJsonObject(error) || typeof error.message !== 'string') return null;
  const details = Array.isArray(error.details) ? error.details.filter(isJsonObject) : [];
  const info = details.find((detail) => typeof detail.reason === 'string');
  const retry = details.find((detail) => detail['@type'] === RETRY_INFO);
  return {
    message: error.message,
    status: typeof error.status === 'string' ? error.status : null,
    reason: info ? (info.reason as string) : null,
    retryDelaySeconds: retry ? durationSeconds(retry.retryDelay) : null,
  };
}

/**
 * Codes that mean the channel's key is dead: Gemini answers a bad key with
 * 400 INVALID_ARGUMENT and the reason API_KEY_INVALID (also for an expired
 * one). PERMISSION_DENIED (403: the API not enabled for the key's project, a
 * key restricted to other APIs, a key reported as leaked) is the key's too,
 * as 403 already is for every type.
 */
export const GEMINI_DEAD_KEY_CODES: ReadonlySet<string> = new Set(['API_KEY_INVALID', 'PERMISSION_DENIED']);

/**
 * Retried elsewhere: 429 RESOURCE_EXHAUSTED (rate limit or quota), every
 * 5xx (INTERNAL, UNAVAILABLE when overloaded, DEADLINE_EXCEEDED), 401/403,
 * and the 400 Gemini gives for a bad key — the channel's problem, not the
 * request's. Any other 4xx is the request's and passed on.
 */
export function classifyGeminiRefusal(status: number, json: JsonObject | null): RefusalClass {
  const error = geminiErrorOf(json);
  const keyInvalid = error?.reason === 'API_KEY_INVALID';
  return {
    retryable: status === 429 || status >= 500 || status === 401 || status === 403 || keyInvalid,
    errorCode: keyInvalid ? 'API_KEY_INVALID' : (error?.status ?? error?.reason ?? null),
    // The delay Gemini asks for drives the channel's cooldown, as Retry-After does for the others.
    retryAfterSeconds: error?.retryDelaySeconds ?? null,
  };
}

/** A Google error in OpenAI's shape: the status name is both its type and its code. */
export function openAiFormOf(error: GeminiError): JsonObject {
  return openAiError(error.message, error.status ?? 'upstream_error', error.status);
}

export function geminiClientError(_status: number, json: JsonObject | null, raw: Buffer): JsonObject {
  const error = geminiErrorOf(json);
  return error ? openAiFormOf(error) : asOpenAiError(json, raw);
}
