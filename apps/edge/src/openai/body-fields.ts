import { DenialException, DenialReason } from '@tollgate/errors';

export type JsonObject = Record<string, unknown>;

/** A 400 invalid_request naming the field at fault (OpenAI's `param`). */
export const invalid = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/*
 * Readers for optional request fields. OpenAI treats an explicit `null` like
 * an absent field, and so do these: they return undefined for both, the
 * value when it has the right type, and throw a 400 naming the field
 * otherwise — so a wrong type is never forwarded, and never a 500.
 */

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, `${field} must be a string`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(field, `${field} must be a boolean`);
  return value;
}

export function optionalNumber(body: JsonObject, field: string, min = -Infinity, max = Infinity): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, `${field} must be a number`);
  if (value < min || value > max) throw invalid(field, `${field} must be between ${min} and ${max}`);
  return value;
}

export function optionalInteger(body: JsonObject, field: string, min: number, max = Infinity): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(field, `${field} must be an integer`);
  if (value < min) throw invalid(field, `${field} must be at least ${min}`);
  if (value > max) throw invalid(field, `${field} must be at most ${max}`);
  return value;
}

export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalid(field, `${field} must be an object`);
  return value;
}

export function optionalArray(body: JsonObject, field: string): unknown[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(field, `${field} must be an array`);
  return value as unknown[];
}

export function optionalChoice<T extends string>(
  body: JsonObject,
  field: string,
  choices: readonly T[],
): T | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw invalid(field, `${field} must be one of ${choices.map((choice) => `'${choice}'`).join(', ')}`);
  }
  return value as T;
}

/** `stream` and `stream_options` of the two streaming endpoints. */
export function checkStreamFields(body: JsonObject): void {
  optionalBoolean(body, 'stream');
  const includeUsage = optionalObject(body, 'stream_options')?.include_usage;
  if (includeUsage !== undefined && includeUsage !== null && typeof includeUsage !== 'boolean') {
    throw invalid('stream_options.include_usage', 'stream_options.include_usage must be a boolean');
  }
}

/** The sampling knobs both text endpoints share: numbers when present (their ranges are the upstream's business). */
export function checkSamplingFields(body: JsonObject): void {
  for (const field of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty']) optionalNumber(body, field);
}

/** A prompt or input: a string, strings, a token array or token arrays — never empty. */
export function checkTextOrTokens(body: JsonObject, field: string): void {
  const value = body[field];
  if (value === undefined || value === null) throw invalid(field, `${field} is required`);
  if (typeof value === 'string') return;
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid(field, `${field} must be a string, an array of strings or an array of token ids`);
  }
  const items = value as unknown[];
  const allStrings = items.every((item) => typeof item === 'string');
  const allTokens = items.every((item) => Number.isInteger(item));
  const allTokenArrays = items.every(
    (item) => Array.isArray(item) && item.length > 0 && (item as unknown[]).every((token) => Number.isInteger(token)),
  );
  if (!allStrings && !allTokens && !allTokenArrays) {
    throw invalid(field, `${field} must be a string, an array of strings or an array of token ids`);
  }
}

/**
 * `n`, the number of choices or images: a number that is not a whole number
 * in [min, max] is the seed's `n_not_within_range` ("invalid value of n");
 * a value of another type is an invalid request like any wrong type.
 */
export function checkN(body: JsonObject, min: number, max: number): number | undefined {
  const n = body.n;
  if (n === undefined || n === null) return undefined;
  if (typeof n !== 'number') throw invalid('n', 'n must be an integer');
  if (!Number.isInteger(n) || n < min || n > max) throw new DenialException(DenialReason.NNotWithinRange);
  return n;
}
