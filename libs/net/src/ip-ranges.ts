import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [Address, number];

/** Dotted quads only: ipaddr.js also accepts classful shorthands like `10.0.0`, which no one means in an allow-list. */
const isStrictAddress = (text: string): boolean =>
  ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);

/** An IPv4-mapped IPv6 address (::ffff:1.2.3.4) is compared as the IPv4 address it carries. */
export function parseAddress(value: string): Address | null {
  if (!isStrictAddress(value)) return null;
  const address = ipaddr.parse(value);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address();
  }
  return address;
}

/** Accepts `1.2.3.0/24`, `2001:db8::/32`, or a bare address (a /32 or /128). */
export function parseCidr(value: string): Cidr | null {
  const text = value.trim();
  try {
    if (text.includes('/')) {
      if (!isStrictAddress(text.slice(0, text.indexOf('/')))) return null;
      const [address, bits] = ipaddr.parseCIDR(text);
      if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
      }
      return [address, bits];
    }
  } catch {
    return null;
  }
  const address = parseAddress(text);
  return address ? [address, address.kind() === 'ipv4' ? 32 : 128] : null;
}

export function isInRanges(ip: string, ranges: readonly Cidr[]): boolean {
  const address = parseAddress(ip);
  if (!address) return false;
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}
