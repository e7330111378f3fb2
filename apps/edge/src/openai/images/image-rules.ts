import { DEFAULT_IMAGE_MODEL } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { JsonObject } from '../body-fields.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { RequestEstimate } from '../endpoint.js';
import { longerThan } from '../text-length.js';

const modelOf = (body: JsonObject): string => (typeof body.model === 'string' ? body.model : DEFAULT_IMAGE_MODEL);

/** `size` as compared with the capability table (which keeps sizes lower case). */
const sizeOf = (body: JsonObject): string | undefined =>
  typeof body.size === 'string' ? body.size.trim().toLowerCase() : undefined;

/**
 * The documented 400 rows of an image request, generations and edits alike,
 * in the table's order, after the types: prompt_missing, prompt_too_long,
 * n_not_within_range, size_not_supported. What they allow is the model's
 * (ModelCapabilities).
 */
export function checkImageRules(body: JsonObject, capabilities: ModelCapabilities): void {
  // The contract has checked that a prompt, if any, is a string.
  if (typeof body.prompt !== 'string' || body.prompt === '') throw new DenialException(DenialReason.PromptMissing);
  const limits = capabilities.image(modelOf(body));
  if (longerThan(body.prompt, limits.promptMaxChars)) throw new DenialException(DenialReason.PromptTooLong);
  if (typeof body.n === 'number' && (body.n < limits.nMin || body.n > limits.nMax)) {
    throw new DenialException(DenialReason.NNotWithinRange);
  }
  const size = sizeOf(body);
  if (size !== undefined && !limits.sizes.includes(size)) throw new DenialException(DenialReason.SizeNotSupported);
}

/** An image request is held for its `n` images at its size (the model's default size when it names none). */
export function imageEstimate(body: JsonObject, capabilities: ModelCapabilities): RequestEstimate {
  return {
    inputTokens: 0,
    inputAllowanceTokens: 0,
    outputTokens: 0,
    images: typeof body.n === 'number' ? body.n : 1,
    imageSize: sizeOf(body) ?? capabilities.image(modelOf(body)).defaultSize,
    characters: 0,
  };
}
