import type { Role, UserStatus, KeyStatus } from './roles.js';
import { eventSubject, subject, type Reply } from './subject.js';

/** Who is calling: what auth answers for a valid key. */
export interface Principal {
  userId: string;
  keyId: string;
  role: Role;
  group: string;
  /** The last 6 characters of the presented key, for documented messages. */
  keySuffix: string;
  /** Channel id pinned with the `sk-<key>-<channelId>` suffix, unparsed (router validates it). */
  pinnedChannel: string | null;
  /** Key budget in micro-units (decimal string), enforced by billing; null = none. */
  budgetMicros: string | null;
  /** Requests per minute allowed for this key, enforced by billing; null = default. */
  rpmLimit: number | null;
  /** Models this key may use; null = all (used to filter GET /v1/models). */
  allowedModels: string[] | null;
  /** When the key expires (epoch ms), null = never; a cached principal is not used past it. */
  expiresAt: number | null;
}

export interface AuthenticateRequest {
  /** The raw `Authorization` header, if any. */
  authorization: string | null;
  /** The client address, already resolved through trusted proxies by the edge. */
  clientIp: string;
  /** The model the request names, or null for routes without one. */
  model: string | null;
}

export interface UserView {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  group: string;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

export interface KeyView {
  id: string;
  userId: string;
  name: string;
  /** `sk-` plus the first characters, for recognising a key in lists. */
  prefix: string;
  last6: string;
  status: KeyStatus;
  expiresAt: string | null;
  allowedModels: string[] | null;
  allowedIpRanges: string[] | null;
  budgetMicros: string | null;
  rpmLimit: number | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** The only response that ever carries the raw key. */
export interface CreatedKey extends KeyView {
  key: string;
}

export interface CreateUserRequest {
  actorRole: Role;
  name: string;
  email?: string | null;
  role?: Role;
  group?: string;
}

export interface UpdateUserRequest {
  actorRole: Role;
  userId: string;
  name?: string;
  email?: string | null;
  role?: Role;
  group?: string;
  status?: UserStatus;
}

export interface CreateKeyRequest {
  actorRole: Role;
  userId: string;
  name?: string;
  expiresAt?: string | null;
  allowedModels?: string[] | null;
  allowedIpRanges?: string[] | null;
  budgetMicros?: string | null;
  rpmLimit?: number | null;
}

export interface UpdateKeyRequest {
  actorRole: Role;
  keyId: string;
  name?: string;
  expiresAt?: string | null;
  allowedModels?: string[] | null;
  allowedIpRanges?: string[] | null;
  budgetMicros?: string | null;
  rpmLimit?: number | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Broadcast when a key or user changes, so every cache drops it at once. */
export interface AuthInvalidation {
  keyIds?: string[];
  userIds?: string[];
}

export const AuthSubjects = {
  authenticate: subject<AuthenticateRequest, Reply<Principal>>('tollgate.auth.authenticate'),
  createUser: subject<CreateUserRequest, Reply<UserView>>('tollgate.auth.users.create'),
  listUsers: subject<PageRequest, Reply<Page<UserView>>>('tollgate.auth.users.list'),
  getUser: subject<{ userId: string }, Reply<UserView>>('tollgate.auth.users.get'),
  updateUser: subject<UpdateUserRequest, Reply<UserView>>('tollgate.auth.users.update'),
  createKey: subject<CreateKeyRequest, Reply<CreatedKey>>('tollgate.auth.keys.create'),
  listKeys: subject<{ userId: string }, Reply<KeyView[]>>('tollgate.auth.keys.list'),
  updateKey: subject<UpdateKeyRequest, Reply<KeyView>>('tollgate.auth.keys.update'),
  revokeKey: subject<{ actorRole: Role; keyId: string }, Reply<KeyView>>('tollgate.auth.keys.revoke'),
  ping: subject<Record<string, never>, { service: string }>('tollgate.auth.ping'),
  invalidated: eventSubject<AuthInvalidation>('tollgate.broadcast.auth.invalidated'),
} as const;
