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
import { UsersService } from '../users/users.service.js';
import { ApiKeyEntity, toKeyView } from './api-key.entity.js';
import { generateKey, hashKey, keyDisplay } from './key-material.js';

type KeyFields = Omit<UpdateKeyRequest, 'actorRole' | 'keyId'>;

const notFound = (what: string) => refused<never>(deny(DenialReason.ResourceNotFound, { detail: `no such ${what}` }));

/**
 * API keys: created, restricted, revoked. Every request is the shape its
 * subject declares (checked on arrival, see AuthController); what is left
 * here is who may manage whose keys, and how the restrictions are stored.
 */
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
    const saved = await this.keys.save(
      this.keys.create({
        userId: owner.id,
        name: fields.name ?? '',
        keyHash: hashKey(rawKey),
        ...keyDisplay(rawKey),
        status: 'active',
        expiresAt: fields.expiresAt ? new Date(fields.expiresAt) : null,
        allowedModels: fields.allowedModels ?? null,
        allowedIpRanges: fields.allowedIpRanges ?? null,
        budgetMicros: fields.budgetMicros ?? null,
        rpmLimit: fields.rpmLimit ?? null,
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
    const patch = normaliseKeyFields(request);
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
    const key = await this.keys.findOneBy({ id: keyId });
    if (!key) return notFound('key');
    const owner = await this.users.find(key.userId);
    if (!owner || !mayManageKeysOf(actorRole, owner.role)) return refused(deny(DenialReason.InsufficientPermissions));
    return ok(key);
  }
}

const mayManageKeysOf = (actor: Role, ownerRole: Role): boolean => ownerRole !== 'root' || actor === 'root';

/** The fields as stored: an instant in one spelling, repeats dropped, and an empty list meaning "no restriction" (null). */
export function normaliseKeyFields(input: KeyFields): KeyFields {
  const out: KeyFields = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.expiresAt !== undefined) {
    out.expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt).toISOString();
  }
  if (input.allowedModels !== undefined) {
    const models = input.allowedModels;
    out.allowedModels = models && models.length > 0 ? [...new Set(models)] : null;
  }
  if (input.allowedIpRanges !== undefined) {
    const ranges = input.allowedIpRanges;
    out.allowedIpRanges = ranges && ranges.length > 0 ? ranges.map((range) => range.trim()) : null;
  }
  if (input.budgetMicros !== undefined) out.budgetMicros = input.budgetMicros;
  if (input.rpmLimit !== undefined) out.rpmLimit = input.rpmLimit;
  return out;
}
