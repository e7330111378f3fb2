import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthSubjects, type AuthenticateRequest, type Principal, type Reply, ok, refused } from '@tollgate/contracts';
import { DenialReason, deny, type DenialParams } from '@tollgate/errors';
import { noteDecision, type NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import { hashKey, parsePresentedKey } from '../keys/key-material.js';
import { isInRanges, parseCidr, type Cidr } from '@tollgate/net';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { KeyCache, type KeyRecord } from './key-cache.js';

const LAST_USED_RESOLUTION_MS = 60_000;

export interface KeyRow {
  key_id: string;
  user_id: string;
  status: 'active' | 'revoked';
  expires_at: Date | null;
  allowed_models: string[] | null;
  allowed_ip_ranges: string[] | null;
  budget_micros: string | null;
  rpm_limit: number | null;
  last_used_at: Date | null;
  last6: string;
  role: KeyRecord['role'];
  group_name: string;
  user_status: KeyRecord['userStatus'];
}

@Injectable()
export class AuthenticateService implements OnModuleInit {
  private readonly cache: KeyCache;

  constructor(
    private readonly db: DataSource,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(AUTH_CONFIG) config: AuthConfig,
  ) {
    this.cache = new KeyCache(config.KEY_CACHE_TTL_MS);
  }

  onModuleInit(): void {
    // Outside the queue group: every auth replica drops revoked keys at once.
    this.bus.onBroadcast(AuthSubjects.invalidated, ({ keyIds, userIds }) => this.cache.evict(keyIds, userIds));
  }

  /** The documented checks, in the documented order (401 → 403 suspended → IP → model → pin). */
  async authenticate(request: AuthenticateRequest): Promise<Reply<Principal>> {
    const token = bearerToken(request.authorization);
    if (!token) return this.refuse(DenialReason.MissingAccessToken);

    const { key, pinnedChannel } = parsePresentedKey(token);
    const now = Date.now();
    const record = await this.lookup(hashKey(key), now);
    const admitted = this.admit(record, { clientIp: request.clientIp, model: request.model, pinnedChannel }, now);
    if (!admitted.ok) return admitted;
    this.touch(admitted.value, now);
    return noteDecision(ok(toPrincipal(admitted.value, key.slice(-6), pinnedChannel)), 'authenticated', {
      keyId: admitted.value.keyId,
      userId: admitted.value.userId,
    });
  }

  /**
   * The documented checks of a key found (or not) by its hash, in the documented order; a console
   * session's key goes through the same (SessionsService), so revoking it or suspending its owner
   * ends its sessions too.
   */
  admit(
    record: KeyRecord | null,
    request: { clientIp: string; model: string | null; pinnedChannel: string | null },
    now: number,
  ): Reply<KeyRecord> {
    if (!record || record.status !== 'active' || (record.expiresAt !== null && record.expiresAt <= now)) {
      return this.refuse(DenialReason.InvalidAccessToken, record ?? undefined);
    }
    const keySuffix = record.last6;
    if (record.userStatus !== 'active') return this.refuse(DenialReason.AccountSuspended, record);
    if (record.allowedIpRanges && !isInRanges(request.clientIp, record.allowedIpRanges)) {
      return this.refuse(DenialReason.IpNotAllowed, record, { keySuffix });
    }
    if (request.model !== null && record.allowedModels && !record.allowedModels.has(request.model)) {
      return this.refuse(DenialReason.ModelNotAllowed, record, { keySuffix });
    }
    if (request.pinnedChannel !== null && record.role !== 'admin' && record.role !== 'root') {
      return this.refuse(DenialReason.ChannelPinForbidden, record, { keySuffix });
    }
    return ok(record);
  }

  /**
   * A refusal is told on the message's log line (its outcome is the reason; the tid comes from the
   * context), so support can see why a request was turned away, and by which key.
   */
  private refuse(reason: DenialReason, record?: KeyRecord, params?: DenialParams): Reply<never> {
    return noteDecision(refused(deny(reason, params)), 'authentication refused', {
      keyId: record?.keyId,
      userId: record?.userId,
    });
  }

  evict(keyIds: string[], userIds: string[]): void {
    this.cache.evict(keyIds, userIds);
  }

  private async lookup(hash: string, now: number): Promise<KeyRecord | null> {
    const cached = this.cache.get(hash, now);
    if (cached !== undefined) return cached;
    const rows: KeyRow[] = await this.db.query(
      `SELECT ${KEY_RECORD_COLUMNS}
         FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.key_hash = $1`,
      [hash],
    );
    const row = rows[0];
    const record = row ? toRecord(row) : null;
    this.cache.set(hash, record, now);
    return record;
  }

  /** last_used_at is written at most once a minute per key, never on every request, and off the reply path. */
  private touch(record: KeyRecord, now: number): void {
    if (record.lastUsedAt !== null && now - record.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    record.lastUsedAt = now;
    this.db
      .query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [record.keyId])
      .catch((error: unknown) => this.logger.warn({ err: error, keyId: record.keyId }, 'last_used_at not saved'));
  }
}

function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  return match?.[1] ?? null;
}

export function toPrincipal(record: KeyRecord, keySuffix: string, pinnedChannel: string | null): Principal {
  return {
    userId: record.userId,
    keyId: record.keyId,
    role: record.role,
    group: record.group,
    keySuffix,
    pinnedChannel,
    budgetMicros: record.budgetMicros,
    rpmLimit: record.rpmLimit,
    allowedModels: record.allowedModels ? [...record.allowedModels] : null,
    expiresAt: record.expiresAt,
  };
}

/** The columns a KeyRecord is made of, for every query that joins a key to its owner. */
export const KEY_RECORD_COLUMNS = `k.id AS key_id, k.user_id, k.status, k.expires_at, k.allowed_models,
  k.allowed_ip_ranges, k.budget_micros, k.rpm_limit, k.last_used_at, k.last6, u.role, u.group_name,
  u.status AS user_status`;

export function toRecord(row: KeyRow): KeyRecord {
  const ranges = row.allowed_ip_ranges?.map(parseCidr).filter((range): range is Cidr => range !== null) ?? null;
  return {
    keyId: row.key_id,
    userId: row.user_id,
    status: row.status,
    expiresAt: row.expires_at?.getTime() ?? null,
    allowedModels: row.allowed_models ? new Set(row.allowed_models) : null,
    allowedIpRanges: ranges,
    budgetMicros: row.budget_micros,
    rpmLimit: row.rpm_limit,
    role: row.role,
    group: row.group_name,
    userStatus: row.user_status,
    lastUsedAt: row.last_used_at?.getTime() ?? null,
    last6: row.last6,
  };
}
