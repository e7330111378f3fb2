import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { billingMetrics } from '../metrics/billing-metrics.js';
import { ensureWorkQueueStream, type WorkQueueStreamOptions } from './work-queue-stream.js';

const RESTART_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 30_000;

/** How long a message that failed (the database down) waits before it comes back: doubling, up to 30 s. */
export const retryDelayMs = (msg: JsMsg): number =>
  Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** Math.min(msg.info.deliveryCount, 10));

/**
 * Consumes one work-queue stream through the durable pull consumer that every
 * billing replica shares (each message goes to one of them), `inHand`
 * messages at a time. Subclasses say what a message does (`handle`), and
 * acknowledge it only once its transaction committed, so nothing is lost.
 */
export abstract class WorkQueueConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  protected constructor(
    protected readonly bus: NatsBus,
    protected readonly logger: Logger,
    private readonly stream: WorkQueueStreamOptions,
    private readonly inHand: number,
  ) {}

  protected abstract handle(msg: JsMsg): Promise<void>;

  async onApplicationBootstrap(): Promise<void> {
    const manager = await this.bus.jetstreamManager();
    await ensureWorkQueueStream(manager, this.stream, this.logger);
    const { stream, durable } = this.stream;
    billingMetrics.watchBacklog(this.stream.carries, async () => {
      const info = await manager.consumers.info(stream, durable);
      return info.num_pending + info.num_ack_pending;
    });
    this.loop = this.consumeUntilStopped();
  }

  /** Stops pulling, then lets the messages in hand finish (and be acknowledged) before NATS closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.messages?.close();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async consumeUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await this.bus.jetstream().consumers.get(this.stream.stream, this.stream.durable);
        // Pulled ahead of what is in hand, so the next message is there when a slot frees.
        this.messages = await consumer.consume({ max_messages: this.inHand * 4 });
        if (this.stopped) await this.messages.close();
        for await (const msg of this.messages) await this.dispatch(msg);
      } catch (error) {
        if (!this.stopped) this.logger.error({ err: error }, `${this.stream.carries} consumer stopped; restarting`);
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
    }
  }

  /** Starts one message; returns once there is room for the next. */
  private async dispatch(msg: JsMsg): Promise<void> {
    const started = performance.now();
    const handled = this.handle(msg).then(() =>
      billingMetrics.streamApplied(this.stream.carries, msg.info.timestampNanos / 1e6),
    );
    const task: Promise<void> = handled.finally(() => {
      this.inFlight.delete(task);
      // At debug: a message carries the work of many requests, each logged at info with its own tid by `handle`.
      this.logger.debug(
        {
          stream: this.stream.stream,
          seq: msg.seq,
          deliveryCount: msg.info.deliveryCount,
          ms: Math.round((performance.now() - started) * 100) / 100,
        },
        `${this.stream.carries} message handled`,
      );
    });
    this.inFlight.add(task);
    if (this.inFlight.size >= this.inHand) await Promise.race(this.inFlight);
  }
}

/** A message's JSON body, or undefined when it is not JSON (the parser then names the problem). */
export function jsonBody(msg: JsMsg): unknown {
  try {
    return msg.json<unknown>();
  } catch {
    return undefined;
  }
}
