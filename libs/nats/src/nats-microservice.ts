import type { MsgHdrs } from '@nats-io/transport-node';
import { NatsContext, ServerNats, type NatsOptions } from '@nestjs/microservices';
import type { ServiceName } from '@tollgate/contracts';
import { isTid, runInMessageContext, TraceContext } from '@tollgate/observability';
import { TID_HEADER } from './nats-bus.js';

/**
 * Nest's NATS server with two additions every service needs: the queue group
 * is the service's own name (replicas share the load), and each handler runs
 * inside the tid of the message it handles, so its log lines carry it, and
 * in the trace context its traceparent header names.
 */
export function createNatsServer(service: ServiceName, servers: string): ServerNats {
  const options: NatsOptions['options'] = {
    servers,
    name: service,
    queue: service,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    gracefulShutdown: true,
    gracePeriod: 1000,
  };
  const server = new ServerNats(options);
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
