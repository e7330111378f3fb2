import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { NatsContext, ServerNats, type NatsOptions } from '@nestjs/microservices';
import type { ServiceName } from '@tollgate/contracts';
import { isTid, runInMessageContext, TraceContext } from '@tollgate/observability';
import { TID_HEADER } from './nats-bus.js';

/**
 * Nest's NATS server with three additions every service needs: the queue
 * group is the service's own name (replicas share the load), each handler
 * runs inside the tid of the message it handles, so its log lines carry it,
 * and in the trace context its traceparent header names, and a stop that
 * waits for the handlers running rather than for a fixed time
 * (DrainingNatsServer).
 */
export function createNatsServer(service: ServiceName, servers: string): ServerNats {
  const options: NonNullable<NatsOptions['options']> = {
    servers,
    name: service,
    queue: service,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  };
  const server = new DrainingNatsServer(service, options);
  // Nest types the hook as returning void but awaits what it returns, so the
  // handler's promise (and any rejection) must be passed back.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  server.setOnProcessingStartHook((_transport, context, done) => {
    const headers = context instanceof NatsContext ? (context.getHeaders() as MsgHdrs | undefined) : undefined;
    const tid = headers?.get(TID_HEADER);
    // The handler's span (runLogged) continues the sender's trace, from the message's traceparent.
    return runInMessageContext(headers, () => (isTid(tid) ? TraceContext.run(tid, done) : done()));
  });
  return server;
}

/**
 * Nest's graceful shutdown unsubscribes and then sleeps `gracePeriod`
 * (1 s by default) whether a handler is running or not: every service took
 * a second to stop, idle, and a handler slower than that lost its reply.
 * This server drains its subscriptions instead (the messages already
 * delivered to it are still handled), waits for the handlers running to
 * send their replies, then drains the connection, which flushes them.
 */
export class DrainingNatsServer extends ServerNats {
  private client: NatsConnection | undefined;
  private readonly subscribed: Subscription[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly queue: string,
    options: NonNullable<NatsOptions['options']>,
  ) {
    super(options);
  }

  /** Nest's own bindEvents, keeping the subscriptions so close() can drain them. */
  override bindEvents(client: NatsConnection): void {
    this.client = client;
    for (const channel of this.messageHandlers.keys()) {
      const handle = this.getMessageHandler(channel).bind(this) as (error: Error | null, message: Msg) => void;
      this.subscribed.push(client.subscribe(channel, { queue: this.queue, callback: handle }));
    }
  }

  override handleMessage(channel: string, message: unknown): Promise<unknown> {
    // The reply is published before this promise settles (Nest sends it from the handler's result).
    const handled = super.handleMessage(channel, message) as Promise<unknown>;
    this.running.add(handled);
    const forget = () => this.running.delete(handled);
    handled.then(forget, forget);
    return handled;
  }

  override async close(): Promise<void> {
    await Promise.allSettled(this.subscribed.splice(0).map((subscription) => subscription.drain()));
    await Promise.allSettled([...this.running]);
    if (this.client && !this.client.isClosed()) await this.client.drain();
    await super.close();
  }
}
