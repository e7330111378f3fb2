import { describe, expect, it } from '@jest/globals';
import { formatMoney, sumMoney } from './money';

describe(formatMoney.name, () => {
  it.each([
    ['12.5', '12.50 USD'],
    ['12', '12.00 USD'],
    ['0.000001', '0.000001 USD'],
    ['1.230000', '1.23 USD'],
    ['1.234500', '1.2345 USD'],
    ['-3.1', '-3.10 USD'],
    ['-0.000', '0.00 USD'],
    ['007.10', '7.10 USD'],
    // Past float precision: a Number would print 12345678901234568.
    ['12345678901234567.123456', '12345678901234567.123456 USD'],
  ])('%s → %s', (amount, shown) => {
    expect(formatMoney(amount, 'USD')).toBe(shown);
  });

  it.each(['', '1.2345678', '1e3', '1,5', '.5', '+1', 'NaN'])('refuses %j, naming it', (amount) => {
    expect(() => formatMoney(amount, 'USD')).toThrow(
      `not a decimal amount with at most 6 decimals: ${JSON.stringify(amount)}`,
    );
  });
});

describe(sumMoney.name, () => {
  it('adds exactly, where floats would not', () => {
    expect(sumMoney(['0.1', '0.2'])).toBe('0.300000');
    expect(sumMoney(['12345678901234567.000001', '0.000001'])).toBe('12345678901234567.000002');
  });

  it('keeps the sign of a negative total, and an empty sum is zero', () => {
    expect(sumMoney(['1.5', '-2.25'])).toBe('-0.750000');
    expect(sumMoney([])).toBe('0.000000');
  });

  it('refuses an amount that is not one, naming it', () => {
    expect(() => sumMoney(['1', 'x'])).toThrow('not a decimal amount with at most 6 decimals: "x"');
  });
});
