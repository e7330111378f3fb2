import type { Role, UserStatus } from '@tollgate/contracts';
import type { Cidr } from '@tollgate/net';

/** What authentication needs to know about a key and its owner, joined once. */
export interface KeyRecord {
  keyId: string;
  userId: string;
  status: 'active' | 'revoked';
  expiresAt: number | null;
  allowedModels: ReadonlySet<string> | null;
  allowedIpRanges: readonly Cidr[] | null;
  budgetMicros: string | null;
  rpmLimit: number | null;
  role: Role;
  group: string;
  userStatus: UserStatus;
  lastUsedAt: number | null;
  /** The key's last 6 characters, for documented messages when the key itself is not at hand (a session). */
  last6: string;
}

/**
 * Key lookups by hash, kept for a short time. Correctness does not rest on
 * the TTL: every change to a key or user is broadcast and evicts the entry
 * on every replica at once; the TTL only bounds memory and stale reads if a
 * broadcast were ever missed.
 */
export class KeyCache {
  private readonly byHash = new Map<string, { record: KeyRecord | null; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  get(hash: string, now: number): KeyRecord | null | undefined {
    const entry = this.byHash.get(hash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.byHash.delete(hash);
      return undefined;
    }
    return entry.record;
  }

  /** `null` caches "no such key" too, so a flood of bad keys does not reach the database. */
  set(hash: string, record: KeyRecord | null, now: number): void {
    if (this.byHash.size >= this.maxEntries) this.byHash.clear();
    this.byHash.set(hash, { record, until: now + this.ttlMs });
  }

  evict(keyIds: readonly string[] = [], userIds: readonly string[] = []): void {
    if (keyIds.length === 0 && userIds.length === 0) return;
    const keys = new Set(keyIds);
    const users = new Set(userIds);
    for (const [hash, entry] of this.byHash) {
      // Negative entries may be for a key just created: drop them too.
      if (!entry.record || keys.has(entry.record.keyId) || users.has(entry.record.userId)) this.byHash.delete(hash);
    }
  }
}
