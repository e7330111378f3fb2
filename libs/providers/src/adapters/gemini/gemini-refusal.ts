import { DenialException, DenialReason } from '@tollgate/errors';

/** The 400 for a request a Gemini channel cannot carry as asked, naming the field at fault. */
export const refuse = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });

/** The standard refusal for a parameter Gemini has no counterpart for. */
export const noCounterpart = (param: string): DenialException =>
  refuse(param, `${param} has no counterpart on gemini channels`);
