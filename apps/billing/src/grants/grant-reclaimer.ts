import { Inject, Injectable } from '@nestjs/common';
import { BillingSubjects, type GrantsReclaim } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { GrantsRepository } from './grants.repository.js';

const POLL_MS = 10;

/**
 * Asks edges to give grants back now (a broadcast every edge hears) and waits
 * for them, bounded: used where money is about to be refused or taken away
 * while edges hold unused slices of it — a reserve that would be refused,
 * a staff debit. An edge that does not answer in time keeps its slice, and
 * its lien keeps the money from anyone else: waiting less only errs on the
 * side of refusing.
 */
@Injectable()
export class GrantReclaimer {
  constructor(
    private readonly grants: GrantsRepository,
    @Inject(NATS_BUS) private readonly bus: Pick<NatsBus, 'broadcast'>,
    @Inject(BILLING_CONFIG) private readonly config: Pick<BillingConfig, 'GRANT_RECLAIM_WAIT_MS'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Reclaims the open grants of the user (of the key only, when given) that
   * still have something unused, and waits until none is open or
   * GRANT_RECLAIM_WAIT_MS passed. False when there was nothing to reclaim.
   */
  async reclaimAndWait(scope: { userId: string; keyId?: string }, reason: GrantsReclaim['reason']): Promise<boolean> {
    if (this.config.GRANT_RECLAIM_WAIT_MS === 0) return false;
    const reclaimable = await this.grants.reclaimable(scope);
    if (reclaimable.length === 0) return false;
    const grantIds = reclaimable.map((grant) => grant.grantId);
    this.bus.broadcast(BillingSubjects.grantsReclaim, { reason, grantIds });
    const until = Date.now() + this.config.GRANT_RECLAIM_WAIT_MS;
    let open = grantIds.length;
    while (open > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      open = await this.grants.stillOpen(grantIds);
    }
    if (open > 0) this.logger.info({ ...scope, reason, open }, 'grants asked back were not all returned in time');
    return true;
  }

  /**
   * Before staff take money away: the grants of every user a line debits come
   * back first (waited for in parallel), so the debit is checked against what
   * the user can really still spend, and no edge goes on admitting from a
   * slice of money that is gone.
   */
  async reclaimForDebits(lines: ReadonlyArray<{ userId: string; amount: bigint }>): Promise<void> {
    const debited = new Set(lines.filter((line) => line.amount < 0n).map((line) => line.userId.toLowerCase()));
    await Promise.all([...debited].map((userId) => this.reclaimAndWait({ userId }, 'staff_adjustment')));
  }
}
