import type { Principal } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';

/**
 * Staff do not move money on their own account: billing staff and admins who
 * could top themselves up would need nobody's approval. Root, who can do
 * anything anyway, is the exception. The answer is the documented 403
 * "Forbidden – insufficient permissions.".
 */
export function refuseOwnAccount(caller: Principal, userIds: Iterable<string>): void {
  if (caller.role === 'root') return;
  const own = caller.userId.toLowerCase();
  for (const userId of userIds) {
    if (userId.toLowerCase() === own) throw new DenialException(DenialReason.InsufficientPermissions);
  }
}
