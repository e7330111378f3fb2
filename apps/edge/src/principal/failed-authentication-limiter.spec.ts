import { describe, expect, it } from '@jest/globals';
import { FailedAuthenticationLimiter } from './failed-authentication-limiter.js';

/** `count` failures from `address` at `now`: each admitted, then kept (not released). */
function fail(sut: FailedAuthenticationLimiter, address: string, now: number, count = 1): void {
  for (let i = 0; i < count; i++) expect(sut.admit(address, now)).toEqual({ admitted: true });
}

describe(FailedAuthenticationLimiter.name, () => {
  it('admits a burst of the per-minute budget, then refuses with the time until one failure is given back', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 30 });
    fail(sut, '198.51.100.7', 0, 30);
    expect(sut.admit('198.51.100.7', 0)).toEqual({ admitted: false, retryAfterMs: 2_000 });
    expect(sut.admit('198.51.100.7', 1_500)).toEqual({ admitted: false, retryAfterMs: 500 });
  });

  it('admits one more failure per minute / budget after that, not more', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 30 });
    fail(sut, '198.51.100.7', 0, 30);
    fail(sut, '198.51.100.7', 2_000);
    expect(sut.admit('198.51.100.7', 2_000)).toMatchObject({ admitted: false });
    fail(sut, '198.51.100.7', 4_000);
    expect(sut.admit('198.51.100.7', 4_000)).toMatchObject({ admitted: false });
  });

  it('has the whole budget back a minute after the last failure', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 30 });
    fail(sut, '198.51.100.7', 0, 30);
    fail(sut, '198.51.100.7', 60_000, 30);
    expect(sut.admit('198.51.100.7', 60_000)).toMatchObject({ admitted: false });
  });

  it('never slows another address', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 3 });
    fail(sut, '198.51.100.7', 0, 3);
    expect(sut.admit('198.51.100.7', 0)).toMatchObject({ admitted: false });
    fail(sut, '198.51.100.8', 0, 3);
  });

  it('gives back the attempt of a key that was not invalid, and forgets an address with its budget whole', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 3 });
    for (let i = 0; i < 10; i++) {
      expect(sut.admit('198.51.100.7', i)).toEqual({ admitted: true });
      sut.release('198.51.100.7', i);
    }
    expect(sut.trackedAddresses).toBe(0);
    fail(sut, '198.51.100.7', 100, 3);
  });

  it('counts guesses in flight, so that concurrent guesses cannot outrun the budget', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 3 });
    const admitted = Array.from({ length: 100 }, () => sut.admit('198.51.100.7', 0)).filter((a) => a.admitted);
    expect(admitted).toHaveLength(3);
  });

  it('counts an IPv6 client by its /64', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 2 });
    fail(sut, '2001:db8:1:2::1', 0);
    fail(sut, '2001:db8:1:2:ffff::9', 0);
    expect(sut.admit('2001:db8:1:2::abcd', 0)).toMatchObject({ admitted: false });
    fail(sut, '2001:db8:1:3::1', 0);
  });

  it('tracks a bounded number of addresses, forgetting the least recently failing one', () => {
    const sut = new FailedAuthenticationLimiter({ failuresPerMinute: 1, maxTrackedAddresses: 1_000 });
    fail(sut, '198.51.100.7', 0);
    for (let i = 0; i < 5_000; i++) fail(sut, `10.0.${i >> 8}.${i & 255}`, 1);
    expect(sut.trackedAddresses).toBe(1_000);
    // Forgotten, so its budget starts afresh; the most recent addresses are still refused.
    fail(sut, '198.51.100.7', 2);
    expect(sut.admit('10.0.19.135', 2)).toMatchObject({ admitted: false });
  });
});
