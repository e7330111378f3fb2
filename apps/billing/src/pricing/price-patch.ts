import { compile, ImageSize, ok, refused, type PriceInput, type Reply } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { normaliseImageSize } from '@tollgate/pricing';

const imageSize = compile(ImageSize());

/**
 * The change of a price that may be null (no price of its own): `keep`
 * leaves it as stored (null for a new model), `to` sets it, null included.
 */
export type NullablePriceChange = { keep: true } | { keep: false; to: bigint | null };

/** A price change as stored. Absent prices keep their stored value (0 for a new model). */
export interface PricePatch {
  model: string;
  inputPerMillionMicros: bigint | null;
  outputPerMillionMicros: bigint | null;
  /** Replaces the whole size table when given. */
  imagePriceMicros: Record<string, string> | null;
  charactersPerMillionMicros: bigint | null;
  cachedInputPerMillionMicros: NullablePriceChange;
  cacheWritePerMillionMicros: NullablePriceChange;
  reasoningPerMillionMicros: NullablePriceChange;
  audioPerMinuteMicros: NullablePriceChange;
}

const invalid = (param: string, detail: string): Reply<never> =>
  refused(deny(DenialReason.InvalidRequest, { param, detail }));
const microsOrNull = (value: string | undefined): bigint | null => (value === undefined ? null : BigInt(value));
const nullableChange = (value: string | null | undefined): NullablePriceChange =>
  value === undefined ? { keep: true } : { keep: false, to: value === null ? null : BigInt(value) };
const isAbsent = (value: unknown): boolean => value === undefined;

/**
 * What the schema cannot say about a price change: sizes are compared in
 * lower case (so the table is keyed that way, and a key must be a size once
 * it is), and a change must change something. Refusals name the admin API's
 * fields, which the edge shows.
 */
export function toPricePatch(input: PriceInput): Reply<PricePatch> {
  const { inputPerMillionMicros, outputPerMillionMicros, imagePriceMicros, charactersPerMillionMicros } = input;
  const { cachedInputPerMillionMicros, cacheWritePerMillionMicros, reasoningPerMillionMicros } = input;
  const { audioPerMinuteMicros } = input;
  const prices = [
    inputPerMillionMicros,
    outputPerMillionMicros,
    imagePriceMicros,
    charactersPerMillionMicros,
    cachedInputPerMillionMicros,
    cacheWritePerMillionMicros,
    reasoningPerMillionMicros,
    audioPerMinuteMicros,
  ];
  if (prices.every(isAbsent)) return invalid('model', 'give at least one price');
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
    cachedInputPerMillionMicros: nullableChange(cachedInputPerMillionMicros),
    cacheWritePerMillionMicros: nullableChange(cacheWritePerMillionMicros),
    reasoningPerMillionMicros: nullableChange(reasoningPerMillionMicros),
    audioPerMinuteMicros: nullableChange(audioPerMinuteMicros),
  });
}
