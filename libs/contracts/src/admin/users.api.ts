import { Type, type Static } from '@tollgate/typebox';
import { KEY_STATUSES, ROLES, USER_STATUSES } from '../roles.js';
import {
  Email,
  GroupName,
  Instant,
  IpRange,
  LIMITS,
  Money,
  ModelName,
  Name,
  Nullable,
  OneOf,
  RpmLimit,
  Uuid,
} from '../schema/fields.js';
import { ListOf } from './common.api.js';

/*
 * Users and their API keys on the admin API: snake_case JSON, money as
 * decimal strings, like OpenAI's own API.
 */

export const UserCreate = Type.Object(
  {
    name: Name(),
    email: Type.Optional(Nullable(Email())),
    role: Type.Optional(OneOf(ROLES, { description: 'Only root may create root users; default user' })),
    group: Type.Optional(GroupName({ description: 'Price group; default "default"' })),
  },
  { additionalProperties: false, $id: 'UserCreate' },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    name: Type.Optional(Name()),
    email: Type.Optional(Nullable(Email())),
    role: Type.Optional(OneOf(ROLES)),
    group: Type.Optional(GroupName()),
    status: Type.Optional(OneOf(USER_STATUSES, { description: 'suspended: every key of the user is refused' })),
  },
  { additionalProperties: false, $id: 'UserUpdate' },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const UserResponse = Type.Object(
  {
    id: Uuid(),
    object: Type.Literal('user'),
    name: Type.String(),
    email: Nullable(Type.String()),
    role: OneOf(ROLES),
    group: Type.String(),
    status: OneOf(USER_STATUSES),
    created_at: Instant(),
    updated_at: Instant(),
  },
  { additionalProperties: false, $id: 'User' },
);
export type UserResponse = Static<typeof UserResponse>;
export const UserList = ListOf(UserResponse, 'UserList', { paged: true });
export type UserList = Static<typeof UserList>;

export const UserListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.usersPage, default: 50 })),
    cursor: Type.Optional(Uuid({ description: 'The `next_cursor` of the previous page' })),
    search: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.nameLength,
        description: 'Only users whose name or e-mail contains this (any case), or whose id it is',
      }),
    ),
  },
  { additionalProperties: false },
);

const keyFields = {
  name: Type.Optional(Name()),
  expires_at: Type.Optional(Nullable(Instant(), { description: 'null = never' })),
  allowed_models: Type.Optional(
    Nullable(Type.Array(ModelName(), { maxItems: LIMITS.listItems }), { description: 'null or [] = every model' }),
  ),
  allowed_ip_ranges: Type.Optional(
    Nullable(Type.Array(IpRange(), { maxItems: LIMITS.listItems, errorParam: 'list' }), {
      description: 'IPv4/IPv6 addresses or CIDR ranges; null or [] = any address',
    }),
  ),
  budget: Type.Optional(Nullable(Money(), { description: 'Total spend allowed for the key; null = none' })),
  rpm_limit: Type.Optional(Nullable(RpmLimit(), { description: 'null = the default limit' })),
};

export const KeyCreate = Type.Object(keyFields, { additionalProperties: false, $id: 'KeyCreate' });
export type KeyCreate = Static<typeof KeyCreate>;
export const KeyUpdate = Type.Object(keyFields, { additionalProperties: false, $id: 'KeyUpdate' });
export type KeyUpdate = Static<typeof KeyUpdate>;

const keyResponseFields = {
  id: Uuid(),
  object: Type.Literal('api_key'),
  user_id: Uuid(),
  name: Type.String(),
  prefix: Type.String({ description: '`sk-` and the first characters, to recognise a key in lists' }),
  last6: Type.String(),
  status: OneOf(KEY_STATUSES),
  expires_at: Nullable(Instant()),
  allowed_models: Nullable(Type.Array(Type.String())),
  allowed_ip_ranges: Nullable(Type.Array(Type.String())),
  budget: Nullable(Type.String()),
  rpm_limit: Nullable(Type.Integer()),
  last_used_at: Nullable(Instant()),
  created_at: Instant(),
};

export const KeyResponse = Type.Object(keyResponseFields, { additionalProperties: false, $id: 'Key' });
export type KeyResponse = Static<typeof KeyResponse>;
export const CreatedKeyResponse = Type.Object(
  { ...keyResponseFields, key: Type.String({ description: 'Shown in this response only; the server keeps a hash' }) },
  { additionalProperties: false, $id: 'CreatedKey' },
);
export type CreatedKeyResponse = Static<typeof CreatedKeyResponse>;
export const KeyList = ListOf(KeyResponse, 'KeyList');
export type KeyList = Static<typeof KeyList>;

export const UserIdParams = Type.Object({ user_id: Uuid() }, { additionalProperties: false });
export const KeyIdParams = Type.Object({ key_id: Uuid() }, { additionalProperties: false });
