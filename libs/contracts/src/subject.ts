import type { Denial } from '@tollgate/errors';

/**
 * A NATS subject together with the types that travel on it. Both sides import
 * the same declaration, so a subject name is typed by hand exactly once.
 * The phantom fields carry the types and are never set at run time.
 */
export interface Subject<Request, Response> {
  readonly name: string;
  readonly __request?: Request;
  readonly __response?: Response;
}

export const subject = <Request, Response>(name: string): Subject<Request, Response> => ({ name });

/** A fire-and-forget event (no reply) or a broadcast (every replica gets it). */
export interface EventSubject<Payload> {
  readonly name: string;
  readonly __payload?: Payload;
}

export const eventSubject = <Payload>(name: string): EventSubject<Payload> => ({ name });

export type RequestOf<S> = S extends Subject<infer Request, unknown> ? Request : never;

/** What a service answers: a value, or a denial the edge renders as a documented error. */
export type Reply<T> = { ok: true; value: T } | { ok: false; denial: Denial };

export const ok = <T>(value: T): Reply<T> => ({ ok: true, value });
export const refused = <T = never>(denial: Denial): Reply<T> => ({ ok: false, denial });
