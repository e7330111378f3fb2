import { describe, expect, it } from '@jest/globals';
import { isInRanges, parseCidr, type Cidr } from './ip-ranges.js';

const ranges = (...values: string[]): Cidr[] => values.map((value) => parseCidr(value) as Cidr);

describe(isInRanges.name, () => {
  it.each([
    ['10.1.2.3', ['10.0.0.0/8'], true],
    ['11.1.2.3', ['10.0.0.0/8'], false],
    ['2001:db8::5', ['2001:db8::/32'], true],
    ['2001:db9::5', ['2001:db8::/32'], false],
    ['::ffff:10.1.2.3', ['10.0.0.0/8'], true],
    ['10.1.2.3', ['::ffff:10.0.0.0/104'], true],
    ['192.0.2.7', ['192.0.2.7'], true],
    ['192.0.2.8', ['192.0.2.7'], false],
    ['10.1.2.3', ['2001:db8::/32'], false],
    ['not-an-ip', ['0.0.0.0/0'], false],
  ])('%s in %p → %p', (ip, list, expected) => {
    expect(isInRanges(ip, ranges(...list))).toBe(expected);
  });
});

describe(parseCidr.name, () => {
  it.each(['10.0.0.0/33', 'nonsense', '10.0.0/8', ''])('refuses %p', (value) => {
    expect(parseCidr(value)).toBeNull();
  });
});
