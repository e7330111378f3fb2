import { parseAddress } from '@tollgate/net';

const MINUTE_MS = 60_000;

export interface FailedAuthenticationLimiterOptions {
  /** Invalid keys one address may present per minute: a burst of this many, then one every minute / this. */
  failuresPerMinute: number;
  /** Addresses tracked at once; past it the least recently failing one is forgotten. */
  maxTrackedAddresses?: number;
}

/**
 * Throttles key guessing per client address, before the key is looked up.
 *
 * Each address has a budget of `failuresPerMinute` failures that refills
 * continuously (a generic cell rate algorithm): one number per address, the
 * instant its budget will be whole again. Every attempt takes one failure
 * from the budget *before* it is sent to auth and gives it back when the key
 * was not refused as invalid, so that a thousand guesses sent at once cannot
 * all pass the check before the first of them has failed.
 *
 * Memory is bounded: the map holds at most `maxTrackedAddresses` entries,
 * ordered by their last failure; when it is full the oldest is forgotten
 * (by then its budget has usually refilled). A flood of distinct addresses
 * can therefore reset the oldest counts, but it gains no more than those
 * addresses' own budgets. An address whose budget is whole again is not kept.
 *
 * IPv6 clients are counted by their /64: one subscriber is usually given a
 * whole /64 and could otherwise present every guess from a fresh address.
 */
export class FailedAuthenticationLimiter {
  /** Time that gives back one failure. */
  private readonly intervalMs: number;
  private readonly maxTrackedAddresses: number;
  /** Address block → the instant its budget is whole again; Map order = least recently failing first. */
  private readonly restoredAt = new Map<string, number>();

  constructor({ failuresPerMinute, maxTrackedAddresses = 100_000 }: FailedAuthenticationLimiterOptions) {
    this.intervalMs = MINUTE_MS / failuresPerMinute;
    this.maxTrackedAddresses = maxTrackedAddresses;
  }

  /** Takes one failure from the address's budget; the milliseconds to wait instead when none is left. */
  admit(address: string, now: number): { admitted: true } | { admitted: false; retryAfterMs: number } {
    const block = addressBlock(address);
    const restoredAt = Math.max(this.restoredAt.get(block) ?? now, now);
    // With one more failure the budget would be whole again more than a minute from now: nothing left.
    const retryAfterMs = restoredAt + this.intervalMs - MINUTE_MS - now;
    if (retryAfterMs > 0) return { admitted: false, retryAfterMs };
    this.restoredAt.delete(block);
    this.restoredAt.set(block, restoredAt + this.intervalMs);
    if (this.restoredAt.size > this.maxTrackedAddresses) {
      const oldest = this.restoredAt.keys().next().value;
      if (oldest !== undefined) this.restoredAt.delete(oldest);
    }
    return { admitted: true };
  }

  /** Gives back what `admit` took: the key was accepted, or refused for another reason than being invalid. */
  release(address: string, now: number): void {
    const block = addressBlock(address);
    const restoredAt = this.restoredAt.get(block);
    if (restoredAt === undefined) return;
    if (restoredAt - this.intervalMs <= now) this.restoredAt.delete(block);
    else this.restoredAt.set(block, restoredAt - this.intervalMs);
  }

  /** Addresses tracked now, for the memory bound's test. */
  get trackedAddresses(): number {
    return this.restoredAt.size;
  }
}

/** An IPv4 address as it is; an IPv6 address as its /64. */
function addressBlock(address: string): string {
  const parsed = parseAddress(address);
  if (parsed?.kind() !== 'ipv6') return address;
  return `${parsed.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}
