import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import {
  AuthSubjects,
  ok,
  refused,
  type CreateKeyRequest,
  type CreatedKey,
  type KeyView,
  type Reply,
  type Role,
  type UpdateKeyRequest,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { NATS_BUS } from '../tokens.js';
import { isUuid, UsersService } from '../users/users.service.js';
import { ApiKeyEntity, toKeyView } from './api-key.entity.js';
import { parseCidr } from '@tollgate/net';
import { generateKey, hashKey, keyDisplay } from './key-material.js';

type KeyFields = Omit<UpdateKeyRequest, 'actorRole' | 'keyId'>;

const invalid = (param: string, detail: string) => refused<never>(deny(DenialReason.InvalidRequest, { param, detail }));
const notFound = (what: string) => refused<never>(deny(DenialReason.ResourceNotFound, { detail: `no such ${what}` }));

@Injectable()
export class KeysService {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(
    db: DataSource,
    private readonly users: UsersService,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {
    this.keys = db.getRepository(ApiKeyEntity);
  }

  /** The raw key is in this reply and nowhere else, ever: only its hash is stored. */
  async create(request: CreateKeyRequest, rawKey: string = generateKey()): Promise<Reply<CreatedKey>> {
    const owner = await this.users.find(request.userId);
    if (!owner) return notFound('user');
    if (!mayManageKeysOf(request.actorRole, owner.role)) return refused(deny(DenialReason.InsufficientPermissions));
    const fields = normaliseKeyFields(request);
    if (!fields.ok) return fields;
    const saved = await this.keys.save(
      this.keys.create({
        userId: owner.id,
        name: fields.value.name ?? '',
        keyHash: hashKey(rawKey),
        ...keyDisplay(rawKey),
        status: 'active',
        expiresAt: fields.value.expiresAt ? new Date(fields.value.expiresAt) : null,
        allowedModels: fields.value.allowedModels ?? null,
        allowedIpRanges: fields.value.allowedIpRanges ?? null,
        budgetMicros: fields.value.budgetMicros ?? null,
        rpmLimit: fields.value.rpmLimit ?? null,
      }),
    );
    // A client may have tried this key before it existed; drop that negative cache entry.
    this.bus.broadcast(AuthSubjects.invalidated, { keyIds: [saved.id] });
    return ok({ ...toKeyView(saved), key: rawKey });
  }

  async listForUser(userId: string): Promise<Reply<KeyView[]>> {
    if (!(await this.users.find(userId))) return notFound('user');
    const keys = await this.keys.find({ where: { userId }, order: { createdAt: 'ASC' } });
    return ok(keys.map(toKeyView));
  }

  async update(request: UpdateKeyRequest): Promise<Reply<KeyView>> {
    const key = await this.findManageable(request.keyId, request.actorRole);
    if (!key.ok) return key;
    const fields = normaliseKeyFields(request);
    if (!fields.ok) return fields;
    const patch = fields.value;
    const entity = key.value;
    if (patch.name !== undefined) entity.name = patch.name;
    if (patch.expiresAt !== undefined) entity.expiresAt = patch.expiresAt ? new Date(patch.expiresAt) : null;
    if (patch.allowedModels !== undefined) entity.allowedModels = patch.allowedModels;
    if (patch.allowedIpRanges !== undefined) entity.allowedIpRanges = patch.allowedIpRanges;
    if (patch.budgetMicros !== undefined) entity.budgetMicros = patch.budgetMicros;
    if (patch.rpmLimit !== undefined) entity.rpmLimit = patch.rpmLimit;
    const saved = await this.keys.save(entity);
    this.bus.broadcast(AuthSubjects.invalidated, { keyIds: [saved.id] });
    return ok(toKeyView(saved));
  }

  async revoke(keyId: string, actorRole: Role): Promise<Reply<KeyView>> {
    const key = await this.findManageable(keyId, actorRole);
    if (!key.ok) return key;
    key.value.status = 'revoked';
    const saved = await this.keys.save(key.value);
    this.bus.broadcast(AuthSubjects.invalidated, { keyIds: [saved.id] });
    return ok(toKeyView(saved));
  }

  private async findManageable(keyId: string, actorRole: Role): Promise<Reply<ApiKeyEntity>> {
    const key = isUuid(keyId) ? await this.keys.findOneBy({ id: keyId }) : null;
    if (!key) return notFound('key');
    const owner = await this.users.find(key.userId);
    if (!owner || !mayManageKeysOf(actorRole, owner.role)) return refused(deny(DenialReason.InsufficientPermissions));
    return ok(key);
  }
}

const mayManageKeysOf = (actor: Role, ownerRole: Role): boolean => ownerRole !== 'root' || actor === 'root';

/** Checks every field a client may send and turns empty lists into "no restriction" (null). */
export function normaliseKeyFields(input: KeyFields): Reply<KeyFields> {
  const out: KeyFields = {};
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.length > 200) return invalid('name', 'name must be a string');
    out.name = input.name;
  }
  if (input.expiresAt !== undefined) {
    if (
      input.expiresAt !== null &&
      (typeof input.expiresAt !== 'string' || Number.isNaN(Date.parse(input.expiresAt)))
    ) {
      return invalid('expires_at', 'expires_at must be an ISO 8601 date-time or null');
    }
    out.expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt).toISOString();
  }
  if (input.allowedModels !== undefined) {
    const models = input.allowedModels;
    if (models !== null && (!Array.isArray(models) || models.some((m) => typeof m !== 'string' || m === ''))) {
      return invalid('allowed_models', 'allowed_models must be a list of model names or null');
    }
    out.allowedModels = models && models.length > 0 ? [...new Set(models)] : null;
  }
  if (input.allowedIpRanges !== undefined) {
    const ranges = input.allowedIpRanges;
    if (ranges !== null && !Array.isArray(ranges)) return invalid('allowed_ip_ranges', 'must be a list of CIDR ranges');
    const bad = ranges?.find((range) => typeof range !== 'string' || parseCidr(range) === null);
    if (bad !== undefined) return invalid('allowed_ip_ranges', `not a CIDR range: ${String(bad)}`);
    out.allowedIpRanges = ranges && ranges.length > 0 ? ranges.map((r) => r.trim()) : null;
  }
  if (input.budgetMicros !== undefined) {
    if (
      input.budgetMicros !== null &&
      (typeof input.budgetMicros !== 'string' || !/^\d{1,18}$/.test(input.budgetMicros))
    ) {
      return invalid('budget', 'budget must be a non-negative amount');
    }
    out.budgetMicros = input.budgetMicros;
  }
  if (input.rpmLimit !== undefined) {
    if (input.rpmLimit !== null && (!Number.isInteger(input.rpmLimit) || input.rpmLimit < 1)) {
      return invalid('rpm_limit', 'rpm_limit must be a positive integer or null');
    }
    out.rpmLimit = input.rpmLimit;
  }
  return ok(out);
}
