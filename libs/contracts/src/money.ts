/**
 * Money crosses the HTTP API as decimal strings with up to 6 decimals
 * ("12.500000") and lives everywhere else as integer micro-units
 * (1 USD = 1,000,000) in bigint. No floating point touches it.
 */
export const MICROS_PER_UNIT = 1_000_000n;

const DECIMAL = /^(-)?(\d{1,12})(?:\.(\d{1,6}))?$/;

/** "12.5" → 12500000n; null when the text is not a plain decimal with at most 6 decimals. */
export function parseMoney(text: unknown): bigint | null {
  if (typeof text !== 'string') return null;
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole ?? '0') * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, '0'));
  return sign ? -micros : micros;
}

/** 12500000n → "12.500000". */
export function formatMoney(micros: bigint | string): string {
  const value = typeof micros === 'string' ? BigInt(micros) : micros;
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / MICROS_PER_UNIT;
  const fraction = (abs % MICROS_PER_UNIT).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
