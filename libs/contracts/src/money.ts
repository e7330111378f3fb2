/**
 * Money is an integer number of micro-units (1 USD = 1,000,000 micros),
 * a `bigint` in code and in PostgreSQL. Over NATS it travels as a decimal
 * string of micros ("12500000"); people see it, in the admin API and the
 * CLI, as a decimal amount ("12.500000"). No floating point is involved anywhere.
 */
export const MICROS_PER_UNIT = 1_000_000n;

/** The range of a PostgreSQL bigint column. */
export const MAX_MICROS = 9_223_372_036_854_775_807n;
export const MIN_MICROS = -9_223_372_036_854_775_808n;

const UNSIGNED_MICROS = /^\d{1,19}$/;
const SIGNED_MICROS = /^-?\d{1,19}$/;
const DECIMAL_AMOUNT = /^(-?)(\d{1,13})(?:\.(\d{1,6}))?$/;

const inRange = (value: bigint): bigint | null => (value > MAX_MICROS || value < MIN_MICROS ? null : value);

/**
 * A micro-unit integer string as it arrives over NATS ("12500000"; "-2500000"
 * when `signed`). Anything else — exponents, fractions, spaces, "+", "--",
 * the empty string, values outside a bigint column — is null.
 */
export function parseMicros(value: unknown, options: { signed: boolean } = { signed: false }): bigint | null {
  if (typeof value !== 'string') return null;
  if (!(options.signed ? SIGNED_MICROS : UNSIGNED_MICROS).test(value)) return null;
  return inRange(BigInt(value));
}

/**
 * A decimal amount as a person writes it ("12.5", "12.500000", "-0.25") →
 * micros. At most 6 fraction digits: an amount finer than one micro-unit is
 * refused, never rounded. No exponent ("1e3"), no leading "+" or ".", no
 * trailing ".", no spaces, no double sign ("--1"), not empty.
 */
export function parseMoney(value: unknown): bigint | null {
  if (typeof value !== 'string') return null;
  const match = DECIMAL_AMOUNT.exec(value);
  if (!match) return null;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole) * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, '0'));
  return inRange(sign === '-' ? -magnitude : magnitude);
}

/** Micros → "12.500000": always six fraction digits, a leading "-" for negative amounts. */
export function formatMoney(value: bigint | string): string {
  const micros = typeof value === 'string' ? BigInt(value) : value;
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / MICROS_PER_UNIT;
  const fraction = (magnitude % MICROS_PER_UNIT).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
