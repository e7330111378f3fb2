import { DenialException, DenialReason } from '@tollgate/errors';

export type JsonObject = Record<string, unknown>;

/** A 400 invalid_request naming the field at fault (OpenAI's `param`). */
export const invalid = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
