import { compile, ImageSize, ok, refused, type PriceInput, type Reply } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { normaliseImageSize } from './cost.js';

const imageSize = compile(ImageSize());

/** A price change as stored. Absent prices keep their stored value (0 for a new model). */
export interface PricePatch {
  model: string;
  inputPerMillionMicros: bigint | null;
  outputPerMillionMicros: bigint | null;
  /** Replaces the whole size table when given. */
  imagePriceMicros: Record<string, string> | null;
  charactersPerMillionMicros: bigint | null;
}

const invalid = (param: string, detail: string): Reply<never> =>
  refused(deny(DenialReason.InvalidRequest, { param, detail }));
const microsOrNull = (value: string | undefined): bigint | null => (value === undefined ? null : BigInt(value));
const isAbsent = (value: unknown): boolean => value === undefined;

/**
 * What the schema cannot say about a price change: sizes are compared in
 * lower case (so the table is keyed that way, and a key must be a size once
 * it is), and a change must change something. Refusals name the admin API's
 * fields, which the edge shows.
 */
export function toPricePatch(input: PriceInput): Reply<PricePatch> {
  const { inputPerMillionMicros, outputPerMillionMicros, imagePriceMicros, charactersPerMillionMicros } = input;
  if ([inputPerMillionMicros, outputPerMillionMicros, imagePriceMicros, charactersPerMillionMicros].every(isAbsent)) {
    return invalid('model', 'give at least one price');
  }
  let images: Record<string, string> | null = null;
  if (imagePriceMicros !== undefined) {
    images = {};
    for (const [size, price] of Object.entries(imagePriceMicros)) {
      const key = normaliseImageSize(size);
      if (!imageSize.is(key)) return invalid('image_prices', `not an image size: ${size}`);
      images[key] = BigInt(price).toString();
    }
  }
  return ok({
    model: input.model.trim(),
    inputPerMillionMicros: microsOrNull(inputPerMillionMicros),
    outputPerMillionMicros: microsOrNull(outputPerMillionMicros),
    imagePriceMicros: images,
    charactersPerMillionMicros: microsOrNull(charactersPerMillionMicros),
  });
}
