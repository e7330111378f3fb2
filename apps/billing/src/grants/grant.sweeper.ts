import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { PeriodicTask } from '@tollgate/service';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER } from '../tokens.js';
import { AdmissionStreamPosition } from './admission-stream-position.js';
import { GrantsRepository } from './grants.repository.js';

/**
 * Closes the grants that no longer admit: returned ones, and open ones past
 * their validity plus GRANT_CLOSE_GRACE_MS (an edge that died without
 * returning them). Their unused part is freed only once every admission
 * record appended before they stopped has been recorded — the consumer's ack
 * floor has passed the stream sequence read when they stopped — so nothing a
 * served request still needs is ever freed (billing.close_grants). One
 * replica sweeps at a time (an advisory lock in the function).
 */
@Injectable()
export class GrantSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private task?: PeriodicTask;

  constructor(
    private readonly grants: GrantsRepository,
    private readonly position: AdmissionStreamPosition,
    @Inject(BILLING_CONFIG)
    private readonly config: Pick<BillingConfig, 'GRANT_SWEEP_INTERVAL_MS' | 'GRANT_CLOSE_GRACE_MS'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.task = new PeriodicTask(
      () => this.sweep(),
      this.config.GRANT_SWEEP_INTERVAL_MS,
      (error) => this.logger.error({ err: error }, 'closing grants failed; will retry'),
    );
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  async sweep(): Promise<void> {
    // In this order: a grant that starts draining now gets a sequence no later than the floor read after it.
    const drainSeq = await this.position.lastSeq();
    const ackFloor = await this.position.ackFloor();
    const swept = await this.grants.closeGrants(drainSeq, ackFloor, this.config.GRANT_CLOSE_GRACE_MS);
    if (swept.drained > 0 || swept.closed > 0) {
      this.logger.info(
        { drained: swept.drained, closed: swept.closed, freedMicros: swept.freedMicros.toString() },
        'grants closed',
      );
    }
  }
}
