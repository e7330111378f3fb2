import { Inject, Injectable } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import type { Settlement } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { jsonBody, retryDelayMs, WorkQueueConsumer } from '../streams/work-queue-consumer.js';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { parseSettlementMessage } from './settlement-message.js';
import { SettleService, type SettleOutcome } from './settle.service.js';

/** How long a settlement waits for its hold to appear: 12 × 5 s, far beyond any reserve's lifetime. */
const UNKNOWN_HOLD_ATTEMPTS = 12;
const UNKNOWN_HOLD_RETRY_MS = 5000;

/**
 * Consumes settlements from JetStream (WorkQueueConsumer). A message is
 * acknowledged only after its transaction committed; a failure (database
 * down) is negatively acknowledged with a growing delay and comes back, so a
 * settlement is never lost. A message that can never be applied (not a
 * settlement at all) is terminated and logged instead of retried forever.
 */
@Injectable()
export class SettlementConsumer extends WorkQueueConsumer {
  constructor(
    @Inject(NATS_BUS) bus: NatsBus,
    private readonly settlements: SettleService,
    @Inject(BILLING_CONFIG) config: BillingConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(
      bus,
      logger,
      {
        carries: 'settlement',
        stream: config.SETTLEMENT_STREAM_NAME,
        subject: config.SETTLEMENT_SUBJECT,
        durable: config.SETTLEMENT_DURABLE,
        duplicateWindowMs: config.SETTLEMENT_DUPLICATE_WINDOW_MS,
        ackWaitMs: config.SETTLEMENT_ACK_WAIT_MS,
        maxDeliver: config.SETTLEMENT_MAX_DELIVER,
        maxAckPending: 1000,
      },
      config.SETTLEMENT_CONCURRENCY,
    );
  }

  /**
   * A settlement can overtake its own hold: the edge publishes a release when
   * a reserve's reply is lost, while that reserve may still be committing.
   * Ask again for a while, so the release lands once the hold exists; after
   * that the reserve never happened and there is nothing to settle. (The
   * other settlements of the message were applied; on redelivery they find
   * their holds closed and change nothing.)
   */
  private settleUnknownHoldsLater(msg: JsMsg, unknown: Settlement[]): void {
    if (msg.info.deliveryCount < UNKNOWN_HOLD_ATTEMPTS) {
      msg.nak(UNKNOWN_HOLD_RETRY_MS);
      return;
    }
    msg.ack();
    for (const settlement of unknown) {
      this.logger.warn(
        { tid: settlement.tid, holdId: settlement.holdId, attempts: msg.info.deliveryCount },
        'settlement for a hold that never existed; dropped',
      );
    }
  }

  /**
   * One line per settlement, after the commit, with the tid of its request (named here: a message
   * carries the settlements of many requests, and is applied outside any one's trace context).
   */
  private logApplied(settlement: Settlement, outcome: SettleOutcome): void {
    const { tid, holdId } = settlement;
    const fromGrant = settlement.admission ? { fromGrant: true } : {};
    switch (outcome.kind) {
      case 'settled':
        this.logger.info(
          {
            tid,
            holdId,
            chargedMicros: outcome.chargedMicros.toString(),
            releasedMicros: outcome.releasedMicros.toString(),
            ...fromGrant,
          },
          'settlement applied: charged',
        );
        return;
      case 'released':
        this.logger.info(
          {
            tid,
            holdId,
            releasedMicros: outcome.releasedMicros.toString(),
            httpStatus: settlement.httpStatus,
            ...fromGrant,
          },
          'settlement applied: released',
        );
        return;
      case 'not_open':
        this.logger.info({ tid, holdId, status: outcome.status }, 'settlement for a closed hold; nothing to do');
        return;
      case 'unknown_hold':
        return; // Retried, then dropped with its own line (settleUnknownHoldsLater).
    }
  }

  protected async handle(msg: JsMsg): Promise<void> {
    const message = parseSettlementMessage(jsonBody(msg));
    if ('error' in message) {
      this.logger.error({ seq: msg.seq, problem: message.error }, 'not a settlement; dropped');
      // No reason on the wire: servers before 2.11 do not understand "+TERM <reason>".
      msg.term();
      return;
    }
    for (const problem of message.rejected) {
      this.logger.error({ seq: msg.seq, problem }, 'not a settlement; dropped');
    }
    try {
      // Applied in batches, outside any one request's trace context: the log lines name each settlement's tid.
      const outcomes = await Promise.all(message.settlements.map((settlement) => this.settlements.settle(settlement)));
      // Committed: logged now, also when the message comes back for a hold that does not exist yet.
      outcomes.forEach((outcome, index) => this.logApplied(message.settlements[index], outcome));
      const unknown = message.settlements.filter((_, index) => outcomes[index].kind === 'unknown_hold');
      if (unknown.length > 0) {
        this.settleUnknownHoldsLater(msg, unknown);
        return;
      }
      msg.ack();
    } catch (error) {
      const delay = retryDelayMs(msg);
      this.logger.error(
        {
          err: error,
          tids: message.settlements.map((settlement) => settlement.tid),
          holdIds: message.settlements.map((settlement) => settlement.holdId),
          retryInMs: delay,
        },
        'settlement not applied; will retry',
      );
      msg.nak(delay);
    }
  }
}
