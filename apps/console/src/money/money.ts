/** A decimal amount as the admin API sends it: an optional minus, digits, and at most 6 decimals (micro-units). */
const AMOUNT = /^(-?)(\d+)(?:\.(\d{1,6}))?$/;

/**
 * "12.5" and "USD" → "12.50 USD". String arithmetic only: a float would turn
 * "0.1" + "0.2" or a 17-digit balance into something the ledger never said.
 * At least 2 decimals, up to the 6 the gateway keeps (trailing zeros past the
 * second dropped); leading zeros dropped; "-0" is "0.00".
 */
export function formatMoney(amount: string, currency: string): string {
  const parts = AMOUNT.exec(amount.trim());
  if (!parts) throw new RangeError(`not a decimal amount with at most 6 decimals: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = parts;
  const integer = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.padEnd(6, '0').replace(/0{1,4}$/, '');
  const zero = /^0+$/.test(integer + decimals);
  return `${zero ? '' : sign}${integer}.${decimals} ${currency}`;
}

/** "1.5" → 1500000n: an amount in micro-units, exact at any size. */
function toMicros(amount: string): bigint {
  const parts = AMOUNT.exec(amount.trim());
  if (!parts) throw new RangeError(`not a decimal amount with at most 6 decimals: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = parts;
  const micros = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  return sign === '-' ? -micros : micros;
}

/** 1500000n → "1.500000": micro-units back to the admin API's 6-decimal form. */
function fromMicros(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const size = micros < 0n ? -micros : micros;
  return `${sign}${size / 1_000_000n}.${(size % 1_000_000n).toString().padStart(6, '0')}`;
}

/** The exact sum of amounts ("0.1" + "0.2" = "0.300000"), for totals the API does not give. */
export function sumMoney(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += toMicros(amount);
  return fromMicros(total);
}
