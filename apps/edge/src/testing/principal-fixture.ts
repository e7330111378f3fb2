import type { Principal } from '@tollgate/contracts';

/** An accepted caller: a user key of group `default`, without limits, pins or expiry unless told. */
export function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    userId: 'user-1',
    keyId: 'key-1',
    role: 'user',
    group: 'default',
    keySuffix: 'a1B2c3',
    pinnedChannel: null,
    budgetMicros: null,
    rpmLimit: null,
    allowedModels: null,
    expiresAt: null,
    ...overrides,
  };
}
