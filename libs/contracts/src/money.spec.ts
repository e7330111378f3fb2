import { describe, expect, it } from '@jest/globals';
import { formatMoney, parseMoney } from './money.js';

describe(parseMoney.name, () => {
  it.each([
    ['12.5', 12_500_000n],
    ['12.500000', 12_500_000n],
    ['0.000001', 1n],
    ['-3', -3_000_000n],
    ['7', 7_000_000n],
  ])('parses %s', (text, micros) => expect(parseMoney(text)).toBe(micros));

  it.each(['', '1e3', '0.0000001', '--1', '1.', '.5', 'abc', '1,5', ' ', '1234567890123'])('refuses %p', (text) =>
    expect(parseMoney(text)).toBeNull(),
  );

  it('refuses non-strings', () => expect(parseMoney(12)).toBeNull());
});

describe(formatMoney.name, () => {
  it.each([
    [12_500_000n, '12.500000'],
    [1n, '0.000001'],
    [-1_500_000n, '-1.500000'],
    ['0', '0.000000'],
  ])('formats %p', (micros, text) => expect(formatMoney(micros)).toBe(text));
});
