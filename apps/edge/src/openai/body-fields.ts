import { DenialException, DenialReason } from '@tollgate/errors';

export { isJsonObject, type JsonObject } from '@tollgate/providers';

/** A 400 invalid_request naming the field at fault (OpenAI's `param`). */
export const invalid = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });
