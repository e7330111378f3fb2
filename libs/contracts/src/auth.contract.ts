import { Type, type Static, type TSchema } from '@tollgate/typebox';
import { Role, UserStatus, KeyStatus } from './roles.js';
import {
  Email,
  GroupName,
  Instant,
  IpRange,
  LIMITS,
  Micros,
  ModelName,
  Name,
  Nullable,
  RpmLimit,
  Uuid,
} from './schema/fields.js';
import { Empty, eventSubject, PingReply, Reply, subject } from './subject.js';

/**
 * Requests refuse fields they do not define (`additionalProperties: false`),
 * so a typo is an error instead of a value silently ignored. Fields the
 * admin API carries under another name say so (`clientName`): a refusal
 * names the field the way the client sent it.
 */
const STRICT = { additionalProperties: false } as const;

/** Who is calling: what auth answers for a valid key. */
export const Principal = Type.Object({
  userId: Uuid(),
  keyId: Uuid(),
  role: Role,
  group: Type.String(),
  /** The last 6 characters of the presented key, for documented messages. */
  keySuffix: Type.String(),
  /** Channel id pinned with the `sk-<key>-<channelId>` suffix, unparsed (router validates it). */
  pinnedChannel: Nullable(Type.String()),
  /** Key budget in micro-units (decimal string), enforced by billing; null = none. */
  budgetMicros: Nullable(Micros()),
  /** Requests per minute allowed for this key, enforced by billing; null = default. */
  rpmLimit: Nullable(Type.Integer()),
  /** Models this key may use; null = all (used to filter GET /v1/models). */
  allowedModels: Nullable(Type.Array(Type.String())),
  /** When the key expires (epoch ms), null = never; a cached principal is not used past it. */
  expiresAt: Nullable(Type.Number()),
});
export type Principal = Static<typeof Principal>;

/**
 * What the edge saw, as it saw it: the key and the model are the client's
 * own, unchecked, because auth's refusals (401, 403) come before any 400
 * for the body. So nothing here is bounded.
 */
export const AuthenticateRequest = Type.Object(
  {
    /** The raw `Authorization` header, if any. */
    authorization: Nullable(Type.String()),
    /** The client address, already resolved through trusted proxies by the edge. */
    clientIp: Type.String(),
    /** The model the request names, or null for routes without one. */
    model: Nullable(Type.String()),
  },
  STRICT,
);
export type AuthenticateRequest = Static<typeof AuthenticateRequest>;

export const UserView = Type.Object({
  id: Uuid(),
  name: Type.String(),
  email: Nullable(Type.String()),
  role: Role,
  group: Type.String(),
  status: UserStatus,
  createdAt: Instant(),
  updatedAt: Instant(),
});
export type UserView = Static<typeof UserView>;

export const KeyView = Type.Object({
  id: Uuid(),
  userId: Uuid(),
  name: Type.String(),
  /** `sk-` plus the first characters, for recognising a key in lists. */
  prefix: Type.String(),
  last6: Type.String(),
  status: KeyStatus,
  expiresAt: Nullable(Instant()),
  allowedModels: Nullable(Type.Array(Type.String())),
  allowedIpRanges: Nullable(Type.Array(Type.String())),
  budgetMicros: Nullable(Micros()),
  rpmLimit: Nullable(Type.Integer()),
  lastUsedAt: Nullable(Instant()),
  createdAt: Instant(),
});
export type KeyView = Static<typeof KeyView>;

/** The only response that ever carries the raw key. */
export const CreatedKey = Type.Object({ ...KeyView.properties, key: Type.String() });
export type CreatedKey = Static<typeof CreatedKey>;

export const CreateUserRequest = Type.Object(
  {
    actorRole: Role,
    name: Name(),
    email: Type.Optional(Nullable(Email())),
    role: Type.Optional(Role),
    group: Type.Optional(GroupName()),
  },
  STRICT,
);
export type CreateUserRequest = Static<typeof CreateUserRequest>;

export const UpdateUserRequest = Type.Object(
  {
    actorRole: Role,
    userId: Uuid(),
    name: Type.Optional(Name()),
    email: Type.Optional(Nullable(Email())),
    role: Type.Optional(Role),
    group: Type.Optional(GroupName()),
    status: Type.Optional(UserStatus),
  },
  STRICT,
);
export type UpdateUserRequest = Static<typeof UpdateUserRequest>;

/** What a key may be given, on create and on update alike; an empty list means no restriction (null). */
const KEY_FIELDS = {
  name: Type.Optional(Type.String({ maxLength: LIMITS.nameLength })),
  expiresAt: Type.Optional(Nullable(Instant(), { clientName: 'expires_at' })),
  allowedModels: Type.Optional(
    Nullable(Type.Array(ModelName(), { maxItems: LIMITS.listItems }), {
      clientName: 'allowed_models',
      errorParam: 'list',
      errorMessage: `{param} must be a list of at most ${LIMITS.listItems} model names, or null`,
    }),
  ),
  allowedIpRanges: Type.Optional(
    Nullable(Type.Array(IpRange(), { maxItems: LIMITS.listItems }), {
      clientName: 'allowed_ip_ranges',
      errorParam: 'list',
      errorMessage: `{param} must be a list of at most ${LIMITS.listItems} IPv4 or IPv6 addresses or CIDR ranges (e.g. 10.0.0.0/8), or null`,
    }),
  ),
  budgetMicros: Type.Optional(Nullable(Micros(), { clientName: 'budget' })),
  rpmLimit: Type.Optional(Nullable(RpmLimit(), { clientName: 'rpm_limit' })),
};

export const CreateKeyRequest = Type.Object({ actorRole: Role, userId: Uuid(), ...KEY_FIELDS }, STRICT);
export type CreateKeyRequest = Static<typeof CreateKeyRequest>;

export const UpdateKeyRequest = Type.Object({ actorRole: Role, keyId: Uuid(), ...KEY_FIELDS }, STRICT);
export type UpdateKeyRequest = Static<typeof UpdateKeyRequest>;

export const PageRequest = Type.Object(
  {
    /** Users wanted; a page holds LIMITS.usersPage at most, so a larger limit gets that many (and a cursor). */
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The `nextCursor` of the page before. */
    cursor: Type.Optional(Nullable(Uuid({ errorMessage: '{param} is not one this API returned' }))),
  },
  STRICT,
);
export type PageRequest = Static<typeof PageRequest>;

/** A page of users, optionally only those a search finds (see UsersService.list). */
export const UserListRequest = Type.Object(
  {
    ...PageRequest.properties,
    /** Part of a name or an e-mail address (any case), or a whole user id. */
    search: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: LIMITS.nameLength }))),
  },
  STRICT,
);
export type UserListRequest = Static<typeof UserListRequest>;

export type Page<T> = { data: T[]; nextCursor: string | null };
/** The schema of `Page<Static<T>>`: one page of a list, and where the next one starts. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

/**
 * What another service needs to know of a user: that it exists, and its group
 * and status. `updatedAt` is auth's own time of the change, so a receiver can
 * tell the newer of two versions whatever order they arrive in.
 */
export const UserRecord = Type.Object({
  id: Uuid(),
  group: Type.String(),
  status: UserStatus,
  updatedAt: Instant(),
});
export type UserRecord = Static<typeof UserRecord>;

/** Every user, in id order, a page at a time: what billing catches up from. */
export const UserDirectoryRequest = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.userDirectoryPage })),
    /** The `nextCursor` of the page before. */
    cursor: Type.Optional(Nullable(Uuid())),
  },
  STRICT,
);
export type UserDirectoryRequest = Static<typeof UserDirectoryRequest>;

/** Which of these users exist; at most a batch adjustment's rows' worth in one request. */
export const UserLookupRequest = Type.Object(
  { userIds: Type.Array(Uuid(), { minItems: 1, maxItems: LIMITS.batchRows }) },
  STRICT,
);
export type UserLookupRequest = Static<typeof UserLookupRequest>;

// ── console sessions ─────────────────────────────────────────────────────

/** The roles that may sign in to the console (those that may enter an admin area). */
export const STAFF_ROLES = ['billing', 'admin', 'root'] as const satisfies readonly Role[];

/**
 * A console session token: `tgs_` and 43 base64url characters (32 bytes from
 * the CSPRNG). Auth keeps only its SHA-256, as it does for keys.
 */
export const SESSION_TOKEN_PATTERN = '^tgs_[A-Za-z0-9_-]{43}$';
const SessionToken = () => Type.String({ maxLength: 200 });

/** Sign-in: the staff key as the browser sent it once, checked as `authenticate` checks a key. */
export const OpenSessionRequest = Type.Object(
  { authorization: Nullable(Type.String()), clientIp: Type.String() },
  STRICT,
);
export type OpenSessionRequest = Static<typeof OpenSessionRequest>;

/** A signed-in console session: who, with which key, until when. */
export const SessionView = Type.Object({
  principal: Principal,
  userName: Type.String(),
  email: Nullable(Type.String()),
  keyName: Type.String(),
  expiresAt: Instant(),
});
export type SessionView = Static<typeof SessionView>;

/** The only answer that carries a session's token: the edge sets it as the cookie and forgets it. */
export const OpenedSession = Type.Object({ token: Type.String(), session: SessionView });
export type OpenedSession = Static<typeof OpenedSession>;

/** A cookie's token, unchecked (auth refuses a malformed one as an invalid token). */
export const SessionRequest = Type.Object({ token: SessionToken(), clientIp: Type.String() }, STRICT);
export type SessionRequest = Static<typeof SessionRequest>;

export const CloseSessionRequest = Type.Object({ token: SessionToken() }, STRICT);
export type CloseSessionRequest = Static<typeof CloseSessionRequest>;
/**
 * Users and keys whose names the admin API shows next to their ids (usage,
 * ledger, request log). Ids only; any id may be unknown (a key id in an old
 * ledger line, a user made by hand): the answer leaves it out.
 */
export const NamesRequest = Type.Object(
  {
    userIds: Type.Array(Uuid(), { maxItems: LIMITS.nameLookupIds }),
    keyIds: Type.Array(Uuid(), { maxItems: LIMITS.nameLookupIds }),
  },
  STRICT,
);
export type NamesRequest = Static<typeof NamesRequest>;

const Named = Type.Object({ id: Uuid(), name: Type.String({ maxLength: LIMITS.nameLength }) });
export type Named = Static<typeof Named>;

/** The users and keys among the ids that exist, with their names; the others are not listed. */
export const NamesReply = Type.Object({ users: Type.Array(Named), keys: Type.Array(Named) });
export type NamesReply = Static<typeof NamesReply>;

/** Broadcast when a key or user changes, so every cache drops it at once. */
export const AuthInvalidation = Type.Object({
  keyIds: Type.Optional(Type.Array(Type.String())),
  userIds: Type.Optional(Type.Array(Type.String())),
});
export type AuthInvalidation = Static<typeof AuthInvalidation>;

const UserRef = Type.Object({ userId: Uuid() }, STRICT);
const KeyRef = Type.Object({ actorRole: Role, keyId: Uuid() }, STRICT);

export const AuthSubjects = {
  authenticate: subject('tollgate.auth.authenticate', AuthenticateRequest, Reply(Principal)),
  createUser: subject('tollgate.auth.users.create', CreateUserRequest, Reply(UserView)),
  listUsers: subject('tollgate.auth.users.list', UserListRequest, Reply(Page(UserView))),
  getUser: subject('tollgate.auth.users.get', UserRef, Reply(UserView)),
  updateUser: subject('tollgate.auth.users.update', UpdateUserRequest, Reply(UserView)),
  createKey: subject('tollgate.auth.keys.create', CreateKeyRequest, Reply(CreatedKey)),
  listKeys: subject('tollgate.auth.keys.list', UserRef, Reply(Type.Array(KeyView))),
  updateKey: subject('tollgate.auth.keys.update', UpdateKeyRequest, Reply(KeyView)),
  revokeKey: subject('tollgate.auth.keys.revoke', KeyRef, Reply(KeyView)),
  /** A page of every user (id order), for a service that keeps its own list of them. */
  userDirectory: subject('tollgate.auth.users.directory', UserDirectoryRequest, Reply(Page(UserRecord))),
  /** The users among the ids that exist (those that do not are left out). */
  lookupUsers: subject('tollgate.auth.users.lookup', UserLookupRequest, Reply(Type.Array(UserRecord))),
  /** Console sign-in: a staff key (role in STAFF_ROLES) exchanged for a session token. */
  openSession: subject('tollgate.auth.sessions.open', OpenSessionRequest, Reply(OpenedSession)),
  /** The session a cookie holds, with the checks of its key and user made again (revoked, suspended, IP). */
  resolveSession: subject('tollgate.auth.sessions.resolve', SessionRequest, Reply(SessionView)),
  /** Sign-out: the session ends on every edge at once (no edge caches a session). */
  closeSession: subject(
    'tollgate.auth.sessions.close',
    CloseSessionRequest,
    Reply(Type.Object({ closed: Type.Boolean() })),
  ),
  /** The names of these users and keys, in one query: what the admin API shows next to ids. */
  names: subject('tollgate.auth.names', NamesRequest, Reply(NamesReply)),
  ping: subject('tollgate.auth.ping', Empty, PingReply),
  invalidated: eventSubject('tollgate.broadcast.auth.invalidated', AuthInvalidation),
  /**
   * User lifecycle, broadcast (every replica of every listener gets each) after
   * the change is committed, carrying the user as it now is. Core NATS: one
   * can be missed, so a listener also catches up from `userDirectory` and asks
   * `lookupUsers` before it concludes that a user does not exist. Auth never
   * deletes a user, so there is no `deleted` event.
   */
  userCreated: eventSubject('tollgate.broadcast.auth.user-created', UserRecord),
  userStatusChanged: eventSubject('tollgate.broadcast.auth.user-status-changed', UserRecord),
  userGroupChanged: eventSubject('tollgate.broadcast.auth.user-group-changed', UserRecord),
} as const;

/** Every user lifecycle event: a listener handles them alike (the record is the user as it now is). */
export const USER_LIFECYCLE_EVENTS = [
  AuthSubjects.userCreated,
  AuthSubjects.userStatusChanged,
  AuthSubjects.userGroupChanged,
] as const;
