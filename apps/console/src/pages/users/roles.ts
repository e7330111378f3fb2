import type { Role, UserStatus } from '@tollgate/contracts';

/**
 * Every role, least to most powerful, with what it may do: mirrors ROLES in
 * libs/contracts/src/roles.ts (the console bundles no values from the
 * contracts, only types). A Record over the contracts' Role, so a role added
 * there and not here does not compile.
 */
export const ROLE_TEXT: Record<Role, string> = {
  user: 'calls the LLM API with its keys',
  billing: 'billing staff: customers, balances, the ledger',
  admin: 'users, keys, channels, and all of billing',
  root: 'everything, root users included',
};

export const ROLES = Object.keys(ROLE_TEXT) as Role[];

/**
 * Each status (USER_STATUSES in roles.ts): what it means, the word for
 * reaching it, and what an admin can do from it. Typed over UserStatus for
 * the same reason as ROLE_TEXT.
 */
export const STATUSES: Record<
  UserStatus,
  { now: string; reached: string; next: UserStatus; action: string; explain: string }
> = {
  active: {
    now: 'Active: the keys of this user are accepted.',
    reached: 'Reactivated',
    next: 'suspended',
    action: 'Suspend',
    explain: 'Suspending refuses every key of this user at once (“Account suspended.”) until they are reactivated.',
  },
  suspended: {
    now: 'Suspended: every key of this user is refused.',
    reached: 'Suspended',
    next: 'active',
    action: 'Reactivate',
    explain: 'Reactivating makes the active keys of this user work again at once.',
  },
};
