import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Settlement, SettlementBatch } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { MicroBatcher } from '@tollgate/service';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';

/** Publishes in flight at once; the settlements finished meanwhile go out together in the next message. */
const CONCURRENT_PUBLISHES = 2;
const MAX_SETTLEMENTS_PER_MESSAGE = 64;
/**
 * How long a settlement waits for others to share its message. Nobody waits
 * for a settlement (the hold already covers the request), and at low load
 * this turns a publish, an acknowledgement, a delivery and a database
 * transaction per request into one per 10 ms — work that otherwise competes
 * with the next request for the CPU.
 */
const SETTLEMENT_LINGER_MS = 10;

/**
 * Hands the actual usage of a request to billing through JetStream. The
 * client never waits for it. Settlements finished within a few milliseconds
 * of each other, or while a publish is in flight, share one message (see
 * MicroBatcher): one message, acknowledgement and delivery carries many. A
 * message keeps its id across retries, so JetStream drops a duplicate
 * publish (a retry after a lost ack); billing applies each hold once whatever
 * arrives twice. Billing being down only delays the charge, it is not lost.
 * If JetStream itself stays unreachable, billing's hold expiry still closes
 * the hold (charged at the held amount, flagged for staff review).
 */
@Injectable()
export class SettlementPublisher {
  private readonly batcher = new MicroBatcher<Settlement, void>({
    maxBatchSize: MAX_SETTLEMENTS_PER_MESSAGE,
    maxConcurrentBatches: CONCURRENT_PUBLISHES,
    lingerMs: SETTLEMENT_LINGER_MS,
    run: (settlements) => this.publishWithRetry(settlements),
  });

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
  ) {
    // At shutdown the bus closes after the HTTP server has finished its last requests; their settlements go first.
    bus.onClosing(() => this.flush());
  }

  publish(settlement: Settlement): void {
    void this.batcher.submit(settlement);
  }

  /** Publishes what is lingering now; resolves once every settlement handed over so far is published (or given up). */
  flush(): Promise<void> {
    return this.batcher.idle();
  }

  /** Never rejects: what cannot be published is logged, and left to hold expiry. */
  private async publishWithRetry(settlements: Settlement[]): Promise<void[]> {
    const batch: SettlementBatch = { settlements };
    const payload = JSON.stringify(batch);
    const msgID = settlements.length === 1 ? settlements[0].holdId : randomUUID();
    for (let attempt = 1; attempt <= this.config.SETTLEMENT_PUBLISH_ATTEMPTS; attempt++) {
      try {
        await this.bus.jetstream().publish(this.config.SETTLEMENT_SUBJECT, payload, { msgID });
        return settlements.map(() => undefined);
      } catch (error) {
        this.logger.warn(
          {
            err: error,
            tids: settlements.map((settlement) => settlement.tid),
            holdIds: settlements.map((settlement) => settlement.holdId),
            attempt,
          },
          'settlement publish failed',
        );
        if (attempt < this.config.SETTLEMENT_PUBLISH_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        }
      }
    }
    for (const settlement of settlements) {
      this.logger.error(
        { tid: settlement.tid, holdId: settlement.holdId, usage: settlement.usage, succeeded: settlement.succeeded },
        'settlement not published; the hold will expire and be charged at the held amount',
      );
    }
    return settlements.map(() => undefined);
  }
}
