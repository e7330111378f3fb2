import { describe, expect, it } from '@jest/globals';
import { formatMoney, MAX_MICROS, parseMoney, parseMicros } from './money.js';

describe(parseMicros.name, () => {
  const sut = parseMicros;

  it.each([
    ['0', 0n],
    ['12500000', 12_500_000n],
    ['9223372036854775807', MAX_MICROS],
  ])('reads %p as %p', (input, expected) => {
    expect(sut(input)).toBe(expected);
  });

  it.each(['', '-1', '+1', '1e3', '1.5', ' 1', '1 ', '0x10', '9223372036854775808', '--1', 'abc'])(
    'refuses %p when unsigned',
    (input) => {
      expect(sut(input)).toBeNull();
    },
  );

  it('reads a signed amount only when asked to', () => {
    expect(sut('-2500000', { signed: true })).toBe(-2_500_000n);
    expect(sut('--2500000', { signed: true })).toBeNull();
    expect(sut('-', { signed: true })).toBeNull();
  });

  it.each([undefined, null, 12, 12n, {}])('refuses a non-string %p', (input) => {
    expect(sut(input)).toBeNull();
  });
});

describe(parseMoney.name, () => {
  const sut = parseMoney;

  it.each([
    ['12.500000', 12_500_000n],
    ['12.5', 12_500_000n],
    ['12', 12_000_000n],
    ['0.000001', 1n],
    ['0', 0n],
    ['-0.25', -250_000n],
    ['1000000.000000', 1_000_000_000_000n],
  ])('reads %p as %p micros', (input, expected) => {
    expect(sut(input)).toBe(expected);
  });

  it.each(['1e3', '0.0000001', '', '--1', '+1', '.5', '5.', ' 1', '1 ', '1,5', '1.5.0', 'NaN', 'Infinity', '-', '0x1'])(
    'refuses %p',
    (input) => {
      expect(sut(input)).toBeNull();
    },
  );

  it('refuses amounts that do not fit a bigint column', () => {
    expect(sut('9999999999999.000000')).toBeNull();
    expect(sut('9223372036854.775807')).toBe(MAX_MICROS);
  });
});

describe(formatMoney.name, () => {
  const sut = formatMoney;

  it.each([
    [12_500_000n, '12.500000'],
    [0n, '0.000000'],
    [1n, '0.000001'],
    [-250_000n, '-0.250000'],
    [-12_000_001n, '-12.000001'],
  ])('writes %p as %p', (input, expected) => {
    expect(sut(input)).toBe(expected);
  });

  it('round-trips with parseMoney', () => {
    for (const micros of [0n, 1n, 999_999n, 1_000_000n, 123_456_789n, -987_654_321n]) {
      expect(parseMoney(sut(micros))).toBe(micros);
    }
  });
});
