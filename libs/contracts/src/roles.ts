import type { Static } from '@tollgate/typebox';
import { OneOf } from './schema/fields.js';

export const ROLES = ['user', 'billing', 'admin', 'root'] as const;
export const Role = OneOf(ROLES);
export type Role = Static<typeof Role>;

export const USER_STATUSES = ['active', 'suspended'] as const;
export const UserStatus = OneOf(USER_STATUSES);
export type UserStatus = Static<typeof UserStatus>;

export const KEY_STATUSES = ['active', 'revoked'] as const;
export const KeyStatus = OneOf(KEY_STATUSES);
export type KeyStatus = Static<typeof KeyStatus>;
