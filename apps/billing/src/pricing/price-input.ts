import { ok, type GroupMultiplierInput, type Reply } from '@tollgate/contracts';
import { parseMicros } from '@tollgate/contracts';
import { checkShape, invalid, isRecord } from '../request-checks.js';
import { normaliseImageSize } from './cost.js';

/** A checked price change. Absent fields keep their stored value (0 for a new model). */
export interface PricePatch {
  model: string;
  inputPerMillionMicros: bigint | null;
  outputPerMillionMicros: bigint | null;
  /** Replaces the whole size table when given. */
  imagePriceMicros: Record<string, string> | null;
  charactersPerMillionMicros: bigint | null;
}

const PRICE_FIELDS = [
  'model',
  'inputPerMillionMicros',
  'outputPerMillionMicros',
  'imagePriceMicros',
  'charactersPerMillionMicros',
] as const;
const MICRO_FIELDS = ['inputPerMillionMicros', 'outputPerMillionMicros', 'charactersPerMillionMicros'] as const;
const IMAGE_SIZE = /^(\*|[a-z0-9][a-z0-9:._-]{0,63})$/;
const GROUP = /^[\w.-]{1,64}$/;
/** ×100 at most: a typo of two extra zeros is refused rather than charged. */
export const MAX_MULTIPLIER_BP = 1_000_000;

export function checkPriceInput(input: unknown): Reply<PricePatch> {
  const shape = checkShape(input, PRICE_FIELDS);
  if (!shape.ok) return shape;
  const fields = shape.value;
  const model = fields['model'];
  if (typeof model !== 'string' || model.trim() === '' || model.length > 200) {
    return invalid('model', 'model must be a non-empty model name');
  }
  const micros: Partial<Record<(typeof MICRO_FIELDS)[number], bigint>> = {};
  for (const field of MICRO_FIELDS) {
    if (fields[field] === undefined) continue;
    const value = parseMicros(fields[field]);
    if (value === null)
      return invalid(field, `${field} must be a non-negative integer number of micro-units, as a string`);
    micros[field] = value;
  }
  let images: Record<string, string> | null = null;
  if (fields['imagePriceMicros'] !== undefined) {
    const table = fields['imagePriceMicros'];
    if (!isRecord(table) || Object.keys(table).length > 50) {
      return invalid('imagePriceMicros', 'imagePriceMicros must map image sizes (or "*") to micro-unit strings');
    }
    images = {};
    for (const [size, price] of Object.entries(table)) {
      const key = normaliseImageSize(size);
      const value = parseMicros(price);
      if (!IMAGE_SIZE.test(key)) return invalid('imagePriceMicros', `not an image size: ${size}`);
      if (value === null)
        return invalid('imagePriceMicros', `the price of ${size} must be a non-negative micro-unit string`);
      images[key] = value.toString();
    }
  }
  if (Object.keys(micros).length === 0 && images === null) {
    return invalid('model', 'give at least one price');
  }
  return ok({
    model: model.trim(),
    inputPerMillionMicros: micros.inputPerMillionMicros ?? null,
    outputPerMillionMicros: micros.outputPerMillionMicros ?? null,
    imagePriceMicros: images,
    charactersPerMillionMicros: micros.charactersPerMillionMicros ?? null,
  });
}

export function checkGroupMultiplierInput(input: unknown): Reply<GroupMultiplierInput> {
  const shape = checkShape(input, ['group', 'multiplierBasisPoints']);
  if (!shape.ok) return shape;
  const { group, multiplierBasisPoints: bp } = shape.value;
  if (typeof group !== 'string' || !GROUP.test(group)) {
    return invalid('group', 'group must be 1–64 letters, digits, dots, dashes or underscores');
  }
  if (typeof bp !== 'number' || !Number.isSafeInteger(bp) || bp < 0 || bp > MAX_MULTIPLIER_BP) {
    return invalid(
      'multiplierBasisPoints',
      `multiplierBasisPoints must be an integer from 0 to ${MAX_MULTIPLIER_BP} (10000 = ×1)`,
    );
  }
  return ok({ group, multiplierBasisPoints: bp });
}
