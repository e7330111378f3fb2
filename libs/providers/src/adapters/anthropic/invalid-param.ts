import { DenialException, DenialReason } from '@tollgate/errors';

/** The 400 invalid_request naming the request field an anthropic channel cannot take as it is. */
export const invalidParam = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });
