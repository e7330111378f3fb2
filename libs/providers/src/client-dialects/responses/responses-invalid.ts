import { DenialException, DenialReason } from '@tollgate/errors';

/** The 400 invalid_request naming the Responses field (as the client spelled it) the translation cannot take. */
export const invalidField = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });
