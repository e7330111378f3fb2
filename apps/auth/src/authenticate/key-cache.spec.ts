import { describe, expect, it } from '@jest/globals';
import { KeyCache, type KeyRecord } from './key-cache.js';

const record = (keyId: string, userId: string): KeyRecord => ({
  keyId,
  userId,
  status: 'active',
  expiresAt: null,
  allowedModels: null,
  allowedIpRanges: null,
  budgetMicros: null,
  rpmLimit: null,
  role: 'user',
  group: 'default',
  userStatus: 'active',
  lastUsedAt: null,
  last6: 'abc123',
});

describe(KeyCache.name, () => {
  it('forgets entries after the TTL', () => {
    const sut = new KeyCache(1000);
    sut.set('h1', record('k1', 'u1'), 0);
    expect(sut.get('h1', 999)?.keyId).toBe('k1');
    expect(sut.get('h1', 1000)).toBeUndefined();
  });

  it('evicts by key and by user, and drops negative entries on any eviction', () => {
    const sut = new KeyCache(60_000);
    sut.set('h1', record('k1', 'u1'), 0);
    sut.set('h2', record('k2', 'u2'), 0);
    sut.set('h3', null, 0);
    sut.evict(['k1'], []);
    expect(sut.get('h1', 1)).toBeUndefined();
    expect(sut.get('h2', 1)?.keyId).toBe('k2');
    expect(sut.get('h3', 1)).toBeUndefined();
    sut.evict([], ['u2']);
    expect(sut.get('h2', 1)).toBeUndefined();
  });
});
