import {
  connect,
  createInbox,
  headers,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { EventSubject, Subject } from '@tollgate/contracts';
import { injectTraceparent, TraceContext, type Logger } from '@tollgate/observability';
import { RemoteFailureError, ServiceUnavailableError } from './nats-errors.js';

export const TID_HEADER = 'tid';

export interface NatsBusOptions {
  servers: string;
  /** Shown in the NATS server's connection list. */
  name: string;
  /** How long a request may wait for its reply before it counts as unavailable. */
  requestTimeoutMs: number;
  logger: Logger;
}

/** A request waiting for its reply. */
interface PendingRequest {
  subject: string;
  resolve(reply: Msg): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The reply envelope Nest's NATS server sends (see @nestjs/microservices ServerNats). */
interface NestReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/**
 * The one place that talks to NATS as a client. Requests speak the packet
 * format Nest's NATS server understands (`{ pattern, data, id }`) over the
 * client's shared reply inbox, which costs less than Nest's ClientProxy (it
 * opens an inbox per request). Every message carries the current tid in its
 * headers.
 */
export class NatsBus {
  private nextId = 0;
  private js?: JetStreamClient;

  /** Every reply comes to `<replyPrefix><request id>`, on one subscription. */
  private readonly replyPrefix = `${createInbox()}.`;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly closingHooks: Array<() => Promise<void>> = [];
  private readonly reconnectHooks: Array<() => void> = [];

  private constructor(
    readonly connection: NatsConnection,
    private readonly options: NatsBusOptions,
  ) {
    connection.subscribe(`${this.replyPrefix}*`, { callback: (_error, msg) => this.settleRequest(msg) });
    void connection.closed().then(() => this.failPending(new Error('connection closed')));
  }

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const connection = await connect({
      servers: options.servers,
      name: options.name,
      // Keep trying forever: a restarted NATS server must not need a restarted service.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // nats.js otherwise builds an Error per request to keep an async stack
      // trace (≈ 8–10 % of the edge's CPU in the benchmark's profile); our
      // callers wrap failures in ServiceUnavailableError with the subject anyway.
      noAsyncTraces: true,
    });
    const bus = new NatsBus(connection, options);
    void bus.watchStatus();
    return bus;
  }

  /**
   * Sends a request to the queue group behind `subject` and waits for its
   * reply. Replies are matched to requests here rather than by nats.js's
   * request(), which builds an Error (with its stack trace) for every request
   * it completes — 5 % of the edge's CPU in the benchmark's profile.
   */
  async request<Req, Res>(target: Subject<Req, Res>, data: Req, timeoutMs?: number): Promise<Res> {
    const id = String(++this.nextId);
    const packet = JSON.stringify({ pattern: target.name, data, id });
    const reply = await new Promise<Msg>((resolve, reject) => {
      const timeout = timeoutMs ?? this.options.requestTimeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ServiceUnavailableError(target.name, new Error(`timed out after ${timeout} ms`)));
      }, timeout);
      this.pending.set(id, { subject: target.name, resolve, reject, timer });
      try {
        this.connection.publish(target.name, packet, { reply: this.replyPrefix + id, headers: this.traceHeaders() });
      } catch (error) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new ServiceUnavailableError(target.name, error));
      }
    });
    const envelope = reply.json<NestReplyPacket>();
    if (envelope.err !== undefined && envelope.err !== null) {
      throw new RemoteFailureError(target.name, describeRemoteError(envelope.err));
    }
    return envelope.response as Res;
  }

  /** The first reply completes its request; later ones (and replies to requests that timed out) are dropped. */
  private settleRequest(msg: Msg): void {
    const id = msg.subject.slice(this.replyPrefix.length);
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    clearTimeout(request.timer);
    // The server's "no responders" status: nothing subscribes to the subject (the service is stopped).
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      request.reject(new ServiceUnavailableError(request.subject, new Error('no responders')));
      return;
    }
    request.resolve(msg);
  }

  private failPending(cause: Error): void {
    for (const [id, request] of this.pending) {
      this.pending.delete(id);
      clearTimeout(request.timer);
      request.reject(new ServiceUnavailableError(request.subject, cause));
    }
  }

  /** A fire-and-forget event for the queue group (one replica handles it). */
  emit<Payload>(target: EventSubject<Payload>, payload: Payload): void {
    this.connection.publish(target.name, JSON.stringify({ pattern: target.name, data: payload }), {
      headers: this.traceHeaders(),
    });
  }

  /** A message every replica of every service receives (cache invalidation, state changes). */
  broadcast<Payload>(target: EventSubject<Payload>, payload: Payload): void {
    this.connection.publish(target.name, JSON.stringify(payload), { headers: this.traceHeaders() });
  }

  /** Subscribes outside any queue group, so that every replica sees every broadcast. */
  onBroadcast<Payload>(target: EventSubject<Payload>, handler: (payload: Payload) => void): Subscription {
    return this.connection.subscribe(target.name, {
      callback: (error, msg) => {
        if (error) {
          this.options.logger.error({ err: error, subject: target.name }, 'broadcast subscription failed');
          return;
        }
        const tid = msg.headers?.get(TID_HEADER);
        const run = (): void => {
          const started = performance.now();
          try {
            handler(msg.json<Payload>());
            // At debug: every replica of every service gets every broadcast (health changes, routing
            // tables, invalidations), so at info one change would be a line per process; what a
            // broadcast changes is logged by whoever decided it.
            this.options.logger.debug(
              { subject: target.name, ms: Math.round((performance.now() - started) * 100) / 100 },
              'broadcast handled',
            );
          } catch (handlerError) {
            this.options.logger.error({ err: handlerError, subject: target.name }, 'broadcast handler failed');
          }
        };
        if (tid) TraceContext.run(tid, run);
        else run();
      },
    });
  }

  jetstream(): JetStreamClient {
    this.js ??= jetstream(this.connection);
    return this.js;
  }

  jetstreamManager(): Promise<JetStreamManager> {
    return jetstreamManager(this.connection);
  }

  /**
   * Current tid as NATS headers, so every service logs the same trace id,
   * and the current span's `traceparent` when tracing is on, so the
   * receiver's span is its child.
   */
  traceHeaders(): MsgHdrs | undefined {
    const tid = TraceContext.tid();
    if (!tid) return undefined;
    const h = headers();
    h.set(TID_HEADER, tid);
    injectTraceparent(h);
    return h;
  }

  /**
   * Work to finish before the connection closes: a component that holds
   * messages back (to batch them) hands them over here. Hooks run when close()
   * is called — at shutdown, after the HTTP server has finished its requests.
   */
  onClosing(hook: () => Promise<void>): void {
    this.closingHooks.push(hook);
  }

  /**
   * Work to do each time the connection is back after it was lost: a
   * broadcast sent meanwhile never arrived (core NATS keeps nothing for a
   * subscriber that is away), so a listener that must not miss one catches up
   * here. Subscriptions themselves are restored by the client.
   */
  onReconnect(hook: () => void): void {
    this.reconnectHooks.push(hook);
  }

  async close(): Promise<void> {
    await Promise.all(this.closingHooks.map((hook) => hook()));
    if (!this.connection.isClosed()) await this.connection.drain();
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        this.options.logger.warn(
          { nats: status.type, server: 'server' in status ? status.server : undefined },
          'nats status',
        );
      }
      if (status.type === 'reconnect') {
        for (const hook of this.reconnectHooks) {
          try {
            hook();
          } catch (error) {
            this.options.logger.error({ err: error }, 'reconnect hook failed');
          }
        }
      }
    }
  }
}

function describeRemoteError(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return JSON.stringify(err);
}
