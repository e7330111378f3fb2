import { Type, type Static, type TSchema } from '@tollgate/typebox';
import { DenialReason, type Denial } from '@tollgate/errors';

/** A schema whose static type is `T`: what a subject carries, typed for `compile`. */
export type SchemaOf<T> = TSchema & { static: T };

/**
 * A NATS subject together with what travels on it. Both sides import the
 * same declaration, so a subject name is typed by hand exactly once. The
 * schemas are the contract at run time (the receiving service checks every
 * request against `request`); the phantom fields carry the same types for
 * the compiler and are never set.
 */
export interface Subject<Request, Response> {
  readonly name: string;
  readonly request: SchemaOf<Request>;
  readonly reply: SchemaOf<Response>;
  /** Whether the reply is a `Reply`, so that a request can be refused as data. */
  readonly refuses: boolean;
  readonly __request?: Request;
  readonly __response?: Response;
}

/** Marks the schemas `Reply()` builds, so `subject()` knows a request to it can be refused. */
const REPLY = Symbol('tollgate.reply');

export const subject = <Q extends TSchema, R extends TSchema>(
  name: string,
  request: Q,
  reply: R,
): Subject<Static<Q>, Static<R>> => ({
  name,
  request,
  reply,
  refuses: (reply as { [REPLY]?: true })[REPLY] === true,
});

/** A fire-and-forget event (no reply) or a broadcast (every replica gets it). */
export interface EventSubject<Payload> {
  readonly name: string;
  readonly payload: SchemaOf<Payload>;
  readonly __payload?: Payload;
}

export const eventSubject = <P extends TSchema>(name: string, payload: P): EventSubject<Static<P>> => ({
  name,
  payload,
});

export type RequestOf<S> = S extends Subject<infer Request, unknown> ? Request : never;

/** What a request with no fields sends: `{}`, and nothing else. */
export const Empty = Type.Unsafe<Record<string, never>>(Type.Object({}, { additionalProperties: false }));

/** Every service's liveness answer. */
export const PingReply = Type.Object({ service: Type.String() });

/** A denial as it crosses NATS (see @tollgate/errors): the reason and the values its message needs. */
const DenialSchema = Type.Object({
  reason: Type.Enum(DenialReason),
  params: Type.Optional(
    Type.Object({
      keySuffix: Type.Optional(Type.String()),
      model: Type.Optional(Type.String()),
      param: Type.Optional(Type.String()),
      detail: Type.Optional(Type.String()),
      retryAfterSeconds: Type.Optional(Type.Number()),
      headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
});

/** What a service answers: a value, or a denial the edge renders as a documented error. */
export type Reply<T> = { ok: true; value: T } | { ok: false; denial: Denial };

/** The schema of `Reply<Static<T>>`: `{ ok: true, value }` or `{ ok: false, denial }`. */
export const Reply = <T extends TSchema>(value: T) =>
  Type.Unsafe<Reply<Static<T>>>({
    ...Type.Union([
      Type.Object({ ok: Type.Literal(true), value }),
      Type.Object({ ok: Type.Literal(false), denial: DenialSchema }),
    ]),
    [REPLY]: true,
  });

export const ok = <T>(value: T): Reply<T> => ({ ok: true, value });
export const refused = <T = never>(denial: Denial): Reply<T> => ({ ok: false, denial });
