import { describe, expect, it } from '@jest/globals';
import type { Principal } from '@tollgate/contracts';
import { principal as acceptedCaller } from '../testing/principal-fixture.js';
import { PrincipalCache } from './principal-cache.js';

const principal = (keyId: string, userId: string, expiresAt: number | null = null): Principal =>
  acceptedCaller({ keyId, userId, expiresAt });

describe(PrincipalCache.name, () => {
  const key = PrincipalCache.keyOf('Bearer sk-x', '127.0.0.1', 'm');

  it('serves an accepted principal until the TTL, and never past the key’s expiry', () => {
    const sut = new PrincipalCache(10_000);
    sut.set(key, principal('k1', 'u1'), sut.currentEpoch(), 0);
    expect(sut.get(key, 9_999)?.keyId).toBe('k1');
    expect(sut.get(key, 10_000)).toBeUndefined();

    sut.set(key, principal('k1', 'u1', 500), sut.currentEpoch(), 0);
    expect(sut.get(key, 499)).toBeDefined();
    expect(sut.get(key, 500)).toBeUndefined();
  });

  it('evicts by key and by user when auth broadcasts a change', () => {
    const sut = new PrincipalCache(10_000);
    const other = PrincipalCache.keyOf('Bearer sk-y', '127.0.0.1', 'm');
    sut.set(key, principal('k1', 'u1'), sut.currentEpoch(), 0);
    sut.set(other, principal('k2', 'u2'), sut.currentEpoch(), 0);
    sut.evict({ keyIds: ['k1'] });
    expect(sut.get(key, 1)).toBeUndefined();
    expect(sut.get(other, 1)).toBeDefined();
    sut.evict({ userIds: ['u2'] });
    expect(sut.get(other, 1)).toBeUndefined();
  });

  it('drops an answer that was in flight while an invalidation arrived', () => {
    const sut = new PrincipalCache(10_000);
    const epoch = sut.currentEpoch();
    sut.evict({ keyIds: ['k1'] });
    sut.set(key, principal('k1', 'u1'), epoch, 0);
    expect(sut.get(key, 1)).toBeUndefined();
  });

  it('keys on everything auth decided on', () => {
    expect(PrincipalCache.keyOf('Bearer sk-x', '127.0.0.1', 'm')).not.toBe(
      PrincipalCache.keyOf('Bearer sk-x', '127.0.0.2', 'm'),
    );
    expect(PrincipalCache.keyOf('Bearer sk-x', '127.0.0.1', 'm')).not.toBe(
      PrincipalCache.keyOf('Bearer sk-x', '127.0.0.1', null),
    );
  });
});
