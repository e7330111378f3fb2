import type { PriceResponse, PriceSet } from '@tollgate/contracts';
import { Money } from '../../money/money-amount';

/** A price part with one decimal amount (every field of PriceSet but the image table). */
export type PartName = Exclude<keyof PriceSet, 'image_prices'>;

interface Part {
  name: PartName;
  /** The column and the start of the field's label. */
  label: string;
  /** What one amount buys, after the currency: "USD per 1M tokens". */
  unit: string;
  /** The schema's description of the field, as the form's hint. */
  description: string;
  /** What null means for a part that may be null (it follows another price); null for a part that is always an amount. */
  unset: string | null;
}

/**
 * Every part of a model's price, in the order people read a price: input and
 * its cache parts, output and its reasoning part, then speech and audio. The
 * units and descriptions are PriceSet's (libs/contracts/src/admin/billing.api.ts).
 */
export const PARTS = [
  {
    name: 'input_per_million',
    label: 'Input',
    unit: 'per 1M tokens',
    description: 'Per million input tokens',
    unset: null,
  },
  {
    name: 'cached_input_per_million',
    label: 'Cached input',
    unit: 'per 1M tokens',
    description: 'Per million input tokens read from the prompt cache',
    unset: 'at the input price',
  },
  {
    name: 'cache_write_per_million',
    label: 'Cache write',
    unit: 'per 1M tokens',
    description: 'Per million input tokens written to the prompt cache',
    unset: 'at the input price',
  },
  {
    name: 'output_per_million',
    label: 'Output',
    unit: 'per 1M tokens',
    description: 'Per million output tokens',
    unset: null,
  },
  {
    name: 'reasoning_per_million',
    label: 'Reasoning',
    unit: 'per 1M tokens',
    description: 'Per million reasoning tokens (part of the output)',
    unset: 'at the output price',
  },
  {
    name: 'characters_per_million',
    label: 'Characters',
    unit: 'per 1M characters',
    description: 'Per million characters (speech)',
    unset: null,
  },
  {
    name: 'audio_per_minute',
    label: 'Audio',
    unit: 'per minute',
    description: 'Per minute of audio, for models priced by duration (whisper-1: 0.006)',
    unset: 'not priced by duration',
  },
] as const satisfies readonly Part[];

// Type-level checks against the contracts: every part is listed, and a part says what null
// means exactly when the API may answer null for it. tsc fails here when PriceSet changes.
type Listed = (typeof PARTS)[number];
type NullableName = { [K in PartName]: null extends PriceResponse[K] ? K : never }[PartName];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyPartListed: Same<Listed['name'], PartName> = true;
const nullMeaningMatches: Same<Extract<Listed, { unset: string }>['name'], NullableName> = true;
void everyPartListed;
void nullMeaningMatches;

/** The image price table's unit and description (PriceSet.image_prices). */
export const IMAGES = {
  label: 'Images',
  fieldLabel: 'Image prices',
  unit: 'per image',
  description: 'Price per image by size; "*" is any other size',
};

/** One part of a stored price: the amount (and its unit, where no column header says it), or what null means. */
export function PartValue({
  price,
  part,
  withUnit = false,
}: {
  price: PriceResponse;
  part: Listed;
  withUnit?: boolean;
}) {
  const amount = price[part.name];
  if (amount === null) return <span className="unset">{part.unset}</span>;
  return (
    <>
      <Money amount={amount} />
      {withUnit && ` ${part.unit}`}
    </>
  );
}

/** The image price table of a stored price, sizes in order; "none" when the model has no image prices. */
export function ImagePrices({ prices }: { prices: PriceResponse['image_prices'] }) {
  const sizes = Object.keys(prices).sort();
  if (sizes.length === 0) return <span className="unset">none</span>;
  return (
    <ul className="image-prices">
      {sizes.map((size) => (
        <li key={size}>
          {size}: <Money amount={prices[size]} />
        </li>
      ))}
    </ul>
  );
}
