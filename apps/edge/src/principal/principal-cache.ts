import { createHash } from 'node:crypto';
import type { AuthInvalidation, Principal } from '@tollgate/contracts';

interface Entry {
  principal: Principal;
  until: number;
}

/**
 * Successful authentications, kept briefly so that a client's next requests
 * skip the round trip to auth. Only acceptances are cached, keyed by a hash
 * of everything auth decided on (the Authorization header, the client
 * address, the model), so a cached answer is exactly the answer auth would
 * give — until something changes, and every change is broadcast by auth
 * (AuthSubjects.invalidated) and evicts the entries of that key or user on
 * every edge at once. A key's expiry is honoured from the principal itself.
 *
 * A reply that was in flight while an invalidation arrived is not cached
 * (the epoch moved), so a revocation can never be undone by a late answer.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private epoch = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  static keyOf(authorization: string | null, clientIp: string, model: string | null): string {
    // A hash, so raw API keys are not kept as map keys in a long-lived process.
    return createHash('sha256')
      .update(`${authorization ?? ''}\n${clientIp}\n${model ?? ''}`)
      .digest('base64url');
  }

  get(key: string, now: number): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /** The epoch to pass back to `set`: an answer from before an invalidation is dropped. */
  currentEpoch(): number {
    return this.epoch;
  }

  set(key: string, principal: Principal, epoch: number, now: number): void {
    if (this.ttlMs <= 0 || epoch !== this.epoch) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const expires = principal.expiresAt ?? Number.POSITIVE_INFINITY;
    this.entries.set(key, { principal, until: Math.min(now + this.ttlMs, expires) });
  }

  evict({ keyIds = [], userIds = [] }: AuthInvalidation): void {
    this.epoch++;
    const keys = new Set(keyIds);
    const users = new Set(userIds);
    for (const [cacheKey, { principal }] of this.entries) {
      if (keys.has(principal.keyId) || users.has(principal.userId)) this.entries.delete(cacheKey);
    }
  }
}
