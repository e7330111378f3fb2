import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Settlement } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { parseSettlementMessage } from './settlement-message.js';
import { ensureSettlementStream } from './settlement-stream.js';
import { SettleService } from './settle.service.js';

const RESTART_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 30_000;
/** How long a settlement waits for its hold to appear: 12 × 5 s, far beyond any reserve's lifetime. */
const UNKNOWN_HOLD_ATTEMPTS = 12;
const UNKNOWN_HOLD_RETRY_MS = 5000;

/**
 * Consumes settlements from JetStream through the durable pull consumer that
 * every billing replica shares (each message goes to one of them). A message
 * is acknowledged only after its transaction committed; a failure (database
 * down) is negatively acknowledged with a growing delay and comes back, so a
 * settlement is never lost. A message that can never be applied (not a
 * settlement at all) is terminated and logged instead of retried forever.
 */
@Injectable()
export class SettlementConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly settlements: SettleService,
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureSettlementStream(
      await this.bus.jetstreamManager(),
      {
        stream: this.config.SETTLEMENT_STREAM_NAME,
        subject: this.config.SETTLEMENT_SUBJECT,
        durable: this.config.SETTLEMENT_DURABLE,
        duplicateWindowMs: this.config.SETTLEMENT_DUPLICATE_WINDOW_MS,
        ackWaitMs: this.config.SETTLEMENT_ACK_WAIT_MS,
        maxDeliver: this.config.SETTLEMENT_MAX_DELIVER,
      },
      this.logger,
    );
    this.loop = this.consumeUntilStopped();
  }

  /** Stops pulling, then lets the settlements in hand finish (and be acknowledged) before NATS closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.messages?.close();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async consumeUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await this.bus
          .jetstream()
          .consumers.get(this.config.SETTLEMENT_STREAM_NAME, this.config.SETTLEMENT_DURABLE);
        this.messages = await consumer.consume({ max_messages: this.config.SETTLEMENT_CONCURRENCY * 4 });
        if (this.stopped) await this.messages.close();
        for await (const msg of this.messages) await this.dispatch(msg);
      } catch (error) {
        if (!this.stopped) this.logger.error({ err: error }, 'settlement consumer stopped; restarting');
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
    }
  }

  /** Starts one settlement; returns once there is room for the next (SETTLEMENT_CONCURRENCY at a time). */
  private async dispatch(msg: JsMsg): Promise<void> {
    const task: Promise<void> = this.handle(msg).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
    if (this.inFlight.size >= this.config.SETTLEMENT_CONCURRENCY) await Promise.race(this.inFlight);
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

  private async handle(msg: JsMsg): Promise<void> {
    let body: unknown;
    try {
      body = msg.json<unknown>();
    } catch {
      body = undefined;
    }
    const message = parseSettlementMessage(body);
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
      const unknown = message.settlements.filter((_, index) => outcomes[index].kind === 'unknown_hold');
      if (unknown.length > 0) {
        this.settleUnknownHoldsLater(msg, unknown);
        return;
      }
      msg.ack();
      outcomes.forEach((outcome, index) => {
        if (outcome.kind !== 'not_open') return;
        this.logger.info(
          { tid: message.settlements[index].tid, holdId: message.settlements[index].holdId, status: outcome.status },
          'settlement for a closed hold; nothing to do',
        );
      });
    } catch (error) {
      const delay = Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** Math.min(msg.info.deliveryCount, 10));
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
