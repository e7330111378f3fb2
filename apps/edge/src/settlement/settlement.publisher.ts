import { Inject, Injectable } from '@nestjs/common';
import type { Settlement } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { TraceContext, type Logger } from '@tollgate/observability';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';

/**
 * Hands the actual usage of a request to billing through JetStream. The
 * client never waits for it. The message id is the hold id, so JetStream
 * drops a duplicate publish (a retry after a lost ack) and billing applies
 * each hold once; billing being down only delays the charge, it is not lost.
 * If JetStream itself stays unreachable, billing's hold expiry still closes
 * the hold (charged at the held amount, flagged for staff review).
 */
@Injectable()
export class SettlementPublisher {
  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
  ) {}

  publish(settlement: Settlement): void {
    void TraceContext.run(settlement.tid, () => this.publishWithRetry(settlement));
  }

  private async publishWithRetry(settlement: Settlement): Promise<void> {
    const payload = JSON.stringify(settlement);
    for (let attempt = 1; attempt <= this.config.SETTLEMENT_PUBLISH_ATTEMPTS; attempt++) {
      try {
        await this.bus.jetstream().publish(this.config.SETTLEMENT_SUBJECT, payload, {
          msgID: settlement.holdId,
          headers: this.bus.traceHeaders(),
        });
        return;
      } catch (error) {
        this.logger.warn({ err: error, holdId: settlement.holdId, attempt }, 'settlement publish failed');
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
    this.logger.error(
      { holdId: settlement.holdId, usage: settlement.usage, succeeded: settlement.succeeded },
      'settlement not published; the hold will expire and be charged at the held amount',
    );
  }
}
