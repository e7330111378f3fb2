import { isInRanges, parseAddress, parseCidr, type Cidr } from '@tollgate/net';

/** Parses TRUSTED_PROXIES; a bad entry stops start-up rather than silently trusting nothing (or everything). */
export function parseTrustedProxies(list: string): Cidr[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const range = parseCidr(entry);
      if (!range) throw new Error(`TRUSTED_PROXIES: not an address or CIDR: ${entry}`);
      return range;
    });
}

const firstValue = (header: string | string[] | undefined): string =>
  Array.isArray(header) ? header.join(',') : (header ?? '');

/**
 * Whether a trusted proxy says the client reached it over TLS: the nearest
 * proxy's X-Forwarded-Proto (its first value), believed from a trusted peer only.
 */
export function forwardedOverTls(
  peer: string | undefined,
  forwardedProto: string | string[] | undefined,
  trusted: readonly Cidr[],
): boolean {
  const peerAddress = parseAddress(peer ?? '');
  if (!peerAddress || !isInRanges(peerAddress.toString(), trusted)) return false;
  return firstValue(forwardedProto).split(',')[0]?.trim().toLowerCase() === 'https';
}

/**
 * The client address: the socket peer, unless the peer is a trusted proxy; then
 * X-Forwarded-For is walked from the right (nearest hop first) past trusted
 * proxies to the first address nobody we trust added, falling back to
 * X-Real-IP. Forwarded headers from anyone else are ignored, so clients
 * cannot choose their own address to pass an IP allow-list.
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  realIp: string | string[] | undefined,
  trusted: readonly Cidr[],
): string {
  const peerAddress = parseAddress(peer ?? '');
  if (!peerAddress) return peer ?? '';
  if (trusted.length === 0 || !isInRanges(peerAddress.toString(), trusted)) return peerAddress.toString();

  const hops = firstValue(forwardedFor)
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i] ?? '');
    if (!hop) break; // a garbled hop: stop believing anything further left
    if (!isInRanges(hop.toString(), trusted)) return hop.toString();
  }
  if (hops.length === 0) {
    const real = parseAddress(firstValue(realIp).split(',')[0]?.trim() ?? '');
    if (real) return real.toString();
  }
  // Every hop was a trusted proxy (or garbled): the leftmost well-formed one is the best we know.
  const leftmost = parseAddress(hops[0] ?? '');
  return (leftmost ?? peerAddress).toString();
}
