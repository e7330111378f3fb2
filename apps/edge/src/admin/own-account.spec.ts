import { describe, expect, it } from '@jest/globals';
import type { Principal, Role } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { refuseOwnAccount } from './own-account.js';

const caller = (role: Role): Principal => ({
  userId: '0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d',
  keyId: 'k',
  role,
  group: 'default',
  keySuffix: 'abcdef',
  pinnedChannel: null,
  budgetMicros: null,
  rpmLimit: null,
  allowedModels: null,
  expiresAt: null,
});
const other = '1c6f3b63-5b9f-4c90-8d68-3e3e6b4d2f8e';

describe(refuseOwnAccount.name, () => {
  it.each(['billing', 'admin'] as const)('refuses %s staff their own account, in any letter case', (role) => {
    for (const ids of [[caller(role).userId], [other, caller(role).userId.toUpperCase()]]) {
      expect(() => refuseOwnAccount(caller(role), ids)).toThrow(
        expect.objectContaining({ denial: { reason: DenialReason.InsufficientPermissions } }),
      );
    }
    expect(() => refuseOwnAccount(caller(role), [other])).not.toThrow();
  });

  it('lets root move money anywhere, its own account included', () => {
    expect(() => refuseOwnAccount(caller('root'), [caller('root').userId])).not.toThrow();
  });
});
