import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The trace id (`tid`) of the request being handled, carried through async
 * calls so that every log line and every NATS message can name it without
 * request-scoped providers.
 */
const storage = new AsyncLocalStorage<string>();

export const TraceContext = {
  run<T>(tid: string, fn: () => T): T {
    return storage.run(tid, fn);
  },
  /** Runs fn outside any request: for work done for many requests at once (a batch), which none of their tids names. */
  outside<T>(fn: () => T): T {
    return storage.exit(fn);
  },
  /** The current tid, or undefined outside a request. */
  tid(): string | undefined {
    return storage.getStore();
  },
};

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TID = /^[0-9a-f]{32}$/;

/**
 * 32 random hex digits (122 random bits). From randomUUID, which draws from a
 * cached pool of entropy: randomBytes would make one system call per request.
 */
export function newTid(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * The trace-id of a W3C `traceparent` header when it is well formed (and not
 * the all-zero id the spec forbids), else a fresh 32-hex id.
 */
export function tidFromTraceparent(traceparent: string | string[] | undefined): string {
  const header = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  const traceId = match?.[1];
  return traceId && traceId !== '0'.repeat(32) ? traceId : newTid();
}

/** A tid received from another service is trusted only if it looks like one. */
export function isTid(value: string | undefined | null): value is string {
  return typeof value === 'string' && TID.test(value);
}
