import { Type, type Static } from '@tollgate/typebox';
import {
  CheckedOneByOne,
  Count,
  GroupName,
  Instant,
  LIMITS,
  Micros,
  ModelName,
  Nullable,
  OneOf,
  PositiveMicros,
  RpmLimit,
  Tid,
  Uuid,
} from './schema/fields.js';

/**
 * Credit grants (docs/design/credit-grants.md): billing gives one edge
 * replica a slice of what a user, a key and their rate windows can still
 * spend — a lien in PostgreSQL, one row — and the edge admits requests
 * against it in memory. Every admission is appended to JetStream before the
 * upstream is called; billing turns it into the request's hold later.
 */
const STRICT = { additionalProperties: false } as const;

/** The unit prices a grant was quoted at (decimal micro-units), the same as a hold keeps. */
export const GrantQuote = Type.Object({
  inputPerMillionMicros: Micros(),
  outputPerMillionMicros: Micros(),
  charactersPerMillionMicros: Micros(),
  cachedInputPerMillionMicros: Nullable(Micros()),
  cacheWritePerMillionMicros: Nullable(Micros()),
  reasoningPerMillionMicros: Nullable(Micros()),
  multiplierBp: Type.Integer({ minimum: 0 }),
});
export type GrantQuote = Static<typeof GrantQuote>;

/** What an edge asks for, for one key and model. The grant id is the edge's, like a hold id. */
export const AcquireGrantRequest = Type.Object(
  {
    grantId: Uuid(),
    edgeId: Uuid(),
    userId: Uuid(),
    keyId: Uuid(),
    keySuffix: Type.String(),
    group: GroupName(),
    model: ModelName(),
    rpmLimit: Nullable(RpmLimit()),
    budgetMicros: Nullable(Micros()),
    /** Requests' worth the edge expects to admit before it asks again. */
    wantRequests: Type.Integer({ minimum: 1, maximum: LIMITS.grantRequests }),
    wantMicros: PositiveMicros(),
    /** What one of those requests is held for, typically: the floor below which billing declines. */
    unitMicros: PositiveMicros(),
  },
  STRICT,
);
export type AcquireGrantRequest = Static<typeof AcquireGrantRequest>;

export const GRANT_DECLINES = ['few_left', 'no_account', 'duplicate', 'unpriced'] as const;

export const GrantAnswer = Type.Object({
  granted: Nullable(
    Type.Object({
      grantId: Uuid(),
      moneyMicros: PositiveMicros(),
      requests: Type.Integer({ minimum: 1 }),
      quote: GrantQuote,
      keyLimit: Type.Integer({ minimum: 0 }),
      keyCountBefore: Type.Integer({ minimum: 0 }),
      /** From billing's clock when it granted; the edge counts them from when it SENT the request. */
      validForMs: Type.Integer({ minimum: 0 }),
      windowEndsInMs: Type.Integer({ minimum: 0 }),
    }),
  ),
  /** Set when nothing was granted: the edge admits per request, and asks again after retryAfterMs. */
  declined: Nullable(OneOf(GRANT_DECLINES)),
  retryAfterMs: Type.Integer({ minimum: 0 }),
});
export type GrantAnswer = Static<typeof GrantAnswer>;

export const RETURN_REASONS = [
  'idle',
  'shutdown',
  'reclaimed',
  'invalidated',
  'expired',
  'replaced',
  'lost_reply',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const GrantReturn = Type.Object(
  {
    grantId: Uuid(),
    /** Everything the edge admitted on it, appended or not; it admits no more. */
    admittedMicros: Micros(),
    admissions: Count(),
    reason: OneOf(RETURN_REASONS),
  },
  STRICT,
);
export type GrantReturn = Static<typeof GrantReturn>;

export const ReturnGrantsRequest = Type.Object(
  {
    edgeId: Uuid(),
    returns: Type.Array(GrantReturn, { minItems: 1, maxItems: LIMITS.grantReturns }),
  },
  STRICT,
);
export type ReturnGrantsRequest = Static<typeof ReturnGrantsRequest>;

export const RETURN_OUTCOMES = ['returned', 'closed', 'unknown', 'not_open'] as const;
export const ReturnGrantsResult = Type.Object({
  results: Type.Array(Type.Object({ grantId: Uuid(), outcome: OneOf(RETURN_OUTCOMES) })),
});
export type ReturnGrantsResult = Static<typeof ReturnGrantsResult>;

export const RECLAIM_REASONS = [
  'needed_elsewhere',
  'staff_adjustment',
  'user_suspended',
  'key_invalidated',
  'price_changed',
] as const;

/** Broadcast to every edge: close the matching slices now and return them. */
export const GrantsReclaim = Type.Object({
  reason: OneOf(RECLAIM_REASONS),
  grantIds: Type.Optional(Type.Array(Uuid())),
  userIds: Type.Optional(Type.Array(Uuid())),
  keyIds: Type.Optional(Type.Array(Uuid())),
});
export type GrantsReclaim = Static<typeof GrantsReclaim>;

/**
 * One request admitted from a grant, as the edge appends it before calling
 * the upstream. The admission id is the request's hold id. `amountMicros` is
 * what the edge took from the slice: the estimate at the grant's prices.
 */
export const AdmissionRecord = Type.Object(
  {
    admissionId: Uuid(),
    grantId: Uuid(),
    edgeId: Uuid(),
    tid: Tid(),
    userId: Uuid(),
    keyId: Uuid(),
    model: ModelName(),
    amountMicros: Micros(),
    /** The edge's clock, for people reading the stream; never compared. */
    admittedAt: Instant(),
  },
  STRICT,
);
export type AdmissionRecord = Static<typeof AdmissionRecord>;

/** One JetStream message on the admission subject (a single record object is accepted too). */
export const AdmissionBatch = Type.Object({ admissions: Type.Array(CheckedOneByOne(AdmissionRecord)) });
export type AdmissionBatch = Static<typeof AdmissionBatch>;

/** JetStream: the durable admission stream (edge appends, billing records). */
export const ADMISSION_STREAM = {
  stream: 'TOLLGATE_ADMISSIONS',
  subject: 'tollgate.billing.admissions',
  durableConsumer: 'billing-admitter',
} as const;

export const GRANT_STATUSES = ['open', 'returned', 'draining', 'closed'] as const;

/** A grant as staff see it: what is lent to which edge, and how much of it is unused. */
export const GrantView = Type.Object({
  grantId: Uuid(),
  edgeId: Uuid(),
  userId: Uuid(),
  keyId: Uuid(),
  model: Type.String(),
  status: OneOf(GRANT_STATUSES),
  moneyMicros: Micros(),
  drawnMicros: Micros(),
  unusedMicros: Micros(),
  requests: Count(),
  drawnRequests: Count(),
  createdAt: Instant(),
  expiresAt: Instant(),
});
export type GrantView = Static<typeof GrantView>;
