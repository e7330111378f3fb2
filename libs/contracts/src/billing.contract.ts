import { Type, type Static } from '@tollgate/typebox';
import { Page } from './auth.contract.js';
import {
  CheckedOneByOne,
  Count,
  GroupName,
  HttpStatus,
  ChannelId,
  IdempotencyKey,
  Instant,
  Int4,
  KeysetCursor,
  LIMITS,
  Micros,
  ModelName,
  Name,
  NonZeroSignedMicros,
  Nullable,
  OneOf,
  PositiveMicros,
  Reason,
  RowCursor,
  RpmLimit,
  SignedMicros,
  Tid,
  TraceId,
  Traceparent,
  Uuid,
} from './schema/fields.js';
import {
  AcquireGrantRequest,
  AdmissionRecord,
  GrantAnswer,
  GrantsReclaim,
  GrantView,
  ReturnGrantsRequest,
  ReturnGrantsResult,
} from './grants.contract.js';
import { Empty, eventSubject, PingReply, Reply, subject } from './subject.js';

/**
 * Requests refuse fields they do not define. A refusal names billing's own
 * field (`amountMicros`: the edge converts the admin API's money and checks
 * it as it does), except where a field says how the admin API's client
 * spells it (`clientName`).
 */
const STRICT = { additionalProperties: false } as const;

/** Who changed a balance: a staff user's id, or `key:<id>` for billing's own entries. */
const Actor = () => Name({ description: 'Who made the change, as the ledger records it' });

/** What a request is expected to consume, estimated by the edge before the call. */
export const UsageEstimate = Type.Object(
  {
    inputTokens: Count(),
    /** Upper bound on output tokens (max_tokens × n, or the model's cap). */
    outputTokens: Count(),
    images: Count(),
    imageSize: Nullable(Type.String()),
    characters: Count(),
    /**
     * Seconds of audio a per-minute model is sent (transcriptions,
     * translations), from the file's duration. Optional: edges from before
     * audio pricing send none, read as 0.
     */
    audioSeconds: Type.Optional(Count()),
  },
  STRICT,
);
export type UsageEstimate = Static<typeof UsageEstimate>;

export const ReserveRequest = Type.Object(
  {
    /**
     * Chosen by the edge (a uuid), so that a reserve whose reply is lost (a
     * timeout, billing restarting) can still be released: the edge then
     * publishes a failed settlement for this id.
     */
    holdId: Uuid(),
    userId: Uuid(),
    keyId: Uuid(),
    keySuffix: Type.String(),
    group: Type.String(),
    model: Type.String({ minLength: 1 }),
    rpmLimit: Nullable(RpmLimit()),
    budgetMicros: Nullable(Micros()),
    estimate: UsageEstimate,
  },
  STRICT,
);
export type ReserveRequest = Static<typeof ReserveRequest>;

/** The state of the key's requests-per-minute window after this request, for RateLimit-* headers. */
export const RateLimitState = Type.Object({
  limit: Type.Integer(),
  remaining: Type.Integer(),
  /** Seconds until the current one-minute window ends. */
  resetSeconds: Type.Number(),
});
export type RateLimitState = Static<typeof RateLimitState>;

export const Hold = Type.Object({
  holdId: Uuid(),
  amountMicros: Micros(),
  /** The key+model window after this request was counted (absent from older billing replicas). */
  rateLimit: Type.Optional(RateLimitState),
});
export type Hold = Static<typeof Hold>;

/**
 * The kinds of token that are parts of another count: `inputTokens` is all
 * input (OpenAI's `prompt_tokens`), of which `cachedInputTokens` were read
 * from the provider's prompt cache and `cacheWriteTokens` written to it;
 * `outputTokens` is all output (`completion_tokens`), of which
 * `reasoningTokens` were spent reasoning. Each is priced apart (cost.ts).
 */
const TOKEN_PARTS = {
  cachedInputTokens: Int4({ minimum: 0 }),
  cacheWriteTokens: Int4({ minimum: 0 }),
  reasoningTokens: Int4({ minimum: 0 }),
};

/** Actual consumption reported by the upstream (or counted by the edge); each count fits the usage log's columns. */
export const Usage = Type.Object({
  inputTokens: Int4({ minimum: 0 }),
  outputTokens: Int4({ minimum: 0 }),
  ...TOKEN_PARTS,
  images: Int4({ minimum: 0 }),
  characters: Int4({ minimum: 0 }),
  /** Whole seconds of audio, for a model priced per audio minute (whisper-1); rounded up from the duration. */
  audioSeconds: Int4({ minimum: 0 }),
});
export type Usage = Static<typeof Usage>;

/** Nothing used: what a request that produced nothing is charged for. */
export const NO_USAGE: Readonly<Usage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  images: 0,
  characters: 0,
  audioSeconds: 0,
});

/** A usage of only the given kinds; every other count 0. */
export const usageOf = (counts: Partial<Usage>): Usage => ({ ...NO_USAGE, ...counts });

/**
 * Usage as a settlement carries it. Edges from before the token parts (or
 * audio seconds) send none of them; billing reads an absent count as 0, so
 * edges and billing can be upgraded in any order. Every edge that builds a
 * Usage sends them all.
 */
export const SettledUsage = Type.Object({
  ...Usage.properties,
  cachedInputTokens: Type.Optional(TOKEN_PARTS.cachedInputTokens),
  cacheWriteTokens: Type.Optional(TOKEN_PARTS.cacheWriteTokens),
  reasoningTokens: Type.Optional(TOKEN_PARTS.reasoningTokens),
  audioSeconds: Type.Optional(Usage.properties.audioSeconds),
});
export type SettledUsage = Static<typeof SettledUsage>;

/**
 * Published to JetStream after every client request that holds money,
 * deduplicated by hold id. `succeeded: false` releases the hold in full.
 */
export const Settlement = Type.Object({
  holdId: Uuid(),
  tid: Tid(),
  /** The request's trace context when the edge traces: billing's span for this settlement is its child. */
  traceparent: Type.Optional(Traceparent()),
  userId: Type.String(),
  keyId: Type.String(),
  model: Type.String(),
  channelId: Nullable(Int4({ minimum: 0 })),
  succeeded: Type.Boolean(),
  usage: SettledUsage,
  httpStatus: HttpStatus(),
  /** Whole milliseconds from the edge; billing rounds anything else. */
  latencyMs: Type.Number({ minimum: 0 }),
  stream: Type.Boolean(),
  /**
   * The request was admitted from a credit grant (its holdId is the
   * admission id): whichever of this settlement and the admission record
   * reaches billing first creates the hold, once.
   */
  admission: Type.Optional(AdmissionRecord),
});
export type Settlement = Static<typeof Settlement>;

/**
 * One JetStream message on the settlement subject: the settlements one edge
 * had ready at the same moment, published together (a single settlement
 * object is accepted too). Each is still applied once per hold, and checked
 * on its own: one that is not a settlement does not drop the others.
 */
export const SettlementBatch = Type.Object({ settlements: Type.Array(CheckedOneByOne(Settlement)) });
export type SettlementBatch = Static<typeof SettlementBatch>;

export const PriceInput = Type.Object(
  {
    model: ModelName(),
    inputPerMillionMicros: Type.Optional(Micros()),
    outputPerMillionMicros: Type.Optional(Micros()),
    /** Price per image by size, e.g. `{ "1024x1024": "40000" }`; sizes are compared in lower case. */
    imagePriceMicros: Type.Optional(
      Type.Record(Type.String(), Micros(), { maxProperties: LIMITS.imageSizes, clientName: 'image_prices' }),
    ),
    charactersPerMillionMicros: Type.Optional(Micros()),
    /**
     * The token parts' own prices. null = none of its own: cached input and
     * cache writes are charged at the input price, reasoning at the output price.
     */
    cachedInputPerMillionMicros: Type.Optional(Nullable(Micros())),
    cacheWritePerMillionMicros: Type.Optional(Nullable(Micros())),
    reasoningPerMillionMicros: Type.Optional(Nullable(Micros())),
    /** Per minute of audio (whisper-1's $0.006); null = none: the model is not priced by duration. */
    audioPerMinuteMicros: Type.Optional(Nullable(Micros())),
  },
  STRICT,
);
export type PriceInput = Static<typeof PriceInput>;

export const PriceView = Type.Object({
  model: Type.String(),
  inputPerMillionMicros: Micros(),
  outputPerMillionMicros: Micros(),
  imagePriceMicros: Type.Record(Type.String(), Micros()),
  charactersPerMillionMicros: Micros(),
  /** null = at the input price. */
  cachedInputPerMillionMicros: Nullable(Micros()),
  /** null = at the input price. */
  cacheWritePerMillionMicros: Nullable(Micros()),
  /** null = at the output price. */
  reasoningPerMillionMicros: Nullable(Micros()),
  /** null = not priced by audio duration. */
  audioPerMinuteMicros: Nullable(Micros()),
  updatedAt: Instant(),
});
export type PriceView = Static<typeof PriceView>;

export const LEDGER_ENTRY_TYPES = ['topup', 'adjustment', 'hold', 'charge', 'release', 'expiry'] as const;
export const LedgerEntryType = OneOf(LEDGER_ENTRY_TYPES);
export type LedgerEntryType = Static<typeof LedgerEntryType>;

export const LedgerEntryView = Type.Object({
  id: Type.String(),
  userId: Uuid(),
  type: LedgerEntryType,
  amountMicros: SignedMicros(),
  balanceAfterMicros: SignedMicros(),
  holdId: Nullable(Uuid()),
  actor: Type.String(),
  reason: Nullable(Type.String()),
  tid: Nullable(Type.String()),
  idempotencyKey: Type.String(),
  createdAt: Instant(),
});
export type LedgerEntryView = Static<typeof LedgerEntryView>;

export const BalanceView = Type.Object({
  userId: Type.String(),
  balanceMicros: SignedMicros(),
  heldMicros: Micros(),
  /**
   * Lent to edges as credit grants and not yet used: part of the balance,
   * not of what the user can still be held or granted (absent from billing
   * replicas from before grants).
   */
  grantedMicros: Type.Optional(Micros()),
  updatedAt: Nullable(Instant()),
});
export type BalanceView = Static<typeof BalanceView>;

export const TopUpRequest = Type.Object(
  {
    userId: Uuid(),
    amountMicros: PositiveMicros(),
    actor: Actor(),
    reason: Reason(),
    idempotencyKey: IdempotencyKey(),
  },
  STRICT,
);
export type TopUpRequest = Static<typeof TopUpRequest>;

/** Newest entries first; `cursor` is the `nextCursor` of the previous page. */
export const LedgerRequest = Type.Object(
  {
    userId: Uuid(),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.ledgerPage })),
    cursor: Type.Optional(Nullable(RowCursor())),
    /** Only these entry types; absent or empty = all. */
    types: Type.Optional(
      Type.Array(LedgerEntryType, {
        clientName: 'type',
        errorParam: 'list',
        errorMessage: `{param} must be among ${LEDGER_ENTRY_TYPES.join(', ')}`,
      }),
    ),
    /** ISO 8601; entries created at or after this instant. */
    from: Type.Optional(Nullable(Instant())),
    /** ISO 8601; entries created before this instant. */
    to: Type.Optional(Nullable(Instant())),
    /** Only the entries written under this tid (any case). */
    tid: Type.Optional(Nullable(TraceId())),
  },
  STRICT,
);
export type LedgerRequest = Static<typeof LedgerRequest>;

/**
 * The reply to a top-up or adjustment. A repeated idempotency key changes
 * nothing and answers with the entry the first request wrote
 * (`replayed: true`) and the balance as it is now.
 */
export const AdjustmentResult = Type.Object({
  entry: LedgerEntryView,
  balance: BalanceView,
  replayed: Type.Boolean(),
});
export type AdjustmentResult = Static<typeof AdjustmentResult>;

/** A signed correction by billing staff. */
export const AdjustRequest = Type.Object(
  {
    userId: Uuid(),
    /** Signed micro-units, e.g. "-2500000". Never zero. */
    amountMicros: NonZeroSignedMicros(),
    actor: Actor(),
    reason: Reason(),
    idempotencyKey: IdempotencyKey(),
    /** Let a negative adjustment take the balance below zero (default false). */
    allowNegative: Type.Optional(Type.Boolean()),
  },
  STRICT,
);
export type AdjustRequest = Static<typeof AdjustRequest>;

export const BatchAdjustRow = Type.Object(
  {
    userId: Uuid(),
    /** Signed micro-units. Never zero. */
    amountMicros: NonZeroSignedMicros(),
    reason: Reason(),
    idempotencyKey: IdempotencyKey(),
  },
  STRICT,
);
export type BatchAdjustRow = Static<typeof BatchAdjustRow>;

/** A batch, named by the uuid its sender chose, so that its parts, its run and its rows can be found. */
const BatchId = () => Uuid({ description: "The batch's id, chosen by its sender" });

/**
 * Part of a batch's rows, handed to billing before the batch runs: rows of
 * the largest allowed text would not fit in one NATS message, so the sender
 * splits them (at most LIMITS.batchPartBytes of JSON each). `offset` is the
 * index of the part's first row in the batch. Each row is checked here, so a
 * malformed row refuses its part, naming it.
 */
export const StageBatchRowsRequest = Type.Object(
  {
    batchId: BatchId(),
    offset: Type.Integer({ minimum: 0, maximum: LIMITS.batchRows - 1 }),
    rows: Type.Array(BatchAdjustRow, { minItems: 1, maxItems: LIMITS.batchRows }),
  },
  STRICT,
);
export type StageBatchRowsRequest = Static<typeof StageBatchRowsRequest>;

export const StagedBatchRows = Type.Object({
  /** The batch's rows staged so far, this part's included. */
  stagedRows: Count(),
});
export type StagedBatchRows = Static<typeof StagedBatchRows>;

/**
 * Runs a staged batch: all or nothing, in one transaction, in row order. A
 * dry run reports what each row would do and changes nothing. Every row's
 * result is recorded under the batch id (in the same transaction as the rows
 * it applied); running the same batch id again answers with what was
 * recorded.
 */
export const BatchAdjustRequest = Type.Object(
  {
    batchId: BatchId(),
    /** How many rows were staged: a missing part refuses the batch rather than applying the rest. */
    rowCount: Type.Integer({ minimum: 1, maximum: LIMITS.batchRows }),
    /** Check every row and report the effect without changing anything. */
    dryRun: Type.Boolean(),
    actor: Actor(),
    allowNegative: Type.Optional(Type.Boolean()),
  },
  STRICT,
);
export type BatchAdjustRequest = Static<typeof BatchAdjustRequest>;

export const BATCH_ROW_STATUSES = ['applied', 'would_apply', 'replayed', 'error', 'not_applied'] as const;
export const BatchRowStatus = OneOf(BATCH_ROW_STATUSES);
export type BatchRowStatus = Static<typeof BatchRowStatus>;

/**
 * Why a row cannot apply: its idempotency key appears on an earlier row of
 * the batch, or was used before for a different change; or it would take a
 * balance below zero.
 */
/** unknown_user: auth has no such user, so billing holds no account for it. */
export const BATCH_ROW_ERRORS = ['unknown_user', 'key_repeated', 'key_reused', 'below_zero'] as const;
export const BatchRowError = OneOf(BATCH_ROW_ERRORS);
export type BatchRowError = Static<typeof BatchRowError>;

/** Billing's own sentence about a failed row: printable ASCII without quotes, so its size is its length. */
export const BatchRowMessage = (options: { description?: string } = {}) =>
  Type.String({
    minLength: 1,
    maxLength: LIMITS.batchRowMessageLength,
    pattern: '^[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*$',
    ...options,
  });

/** How many rows ended in each status (keyed by the status, so counting a row is `counts[row.status]++`). */
export const BatchRowCounts = Type.Object({
  applied: Count(),
  would_apply: Count(),
  replayed: Count(),
  error: Count(),
  not_applied: Count(),
});
export type BatchRowCounts = Static<typeof BatchRowCounts>;

/** A row that cannot apply, as the batch's reply lists it: small, whatever the row's text. */
export const FailedBatchRow = Type.Object({
  index: Type.Integer({ minimum: 0, maximum: LIMITS.batchRows - 1 }),
  userId: Uuid(),
  error: BatchRowError,
  message: BatchRowMessage(),
});
export type FailedBatchRow = Static<typeof FailedBatchRow>;

/**
 * The reply to a batch: counts and the rows that failed, never every row's
 * result, so that its size does not depend on the rows' text (see
 * LIMITS.natsMaxPayloadBytes). Every row's result is `batchRows`, a page at a time.
 */
export const BatchAdjustResult = Type.Object({
  batchId: Uuid(),
  dryRun: Type.Boolean(),
  /** True only when every row was applied (or replayed) and committed. */
  applied: Type.Boolean(),
  counts: BatchRowCounts,
  failedRows: Type.Array(FailedBatchRow, { maxItems: LIMITS.batchRows }),
});
export type BatchAdjustResult = Static<typeof BatchAdjustResult>;

/** A batch's row results in row order; `cursor` is the `nextCursor` of the previous page. */
export const BatchRowsRequest = Type.Object(
  {
    batchId: BatchId(),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.batchRowsPage })),
    cursor: Type.Optional(Nullable(RowCursor())),
  },
  STRICT,
);
export type BatchRowsRequest = Static<typeof BatchRowsRequest>;

export const BatchAdjustRowResult = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  userId: Uuid(),
  amountMicros: NonZeroSignedMicros(),
  idempotencyKey: Type.String(),
  /**
   * applied / would_apply (dry run): the row's effect; replayed: its idempotency key
   * was applied before, nothing changes; error: see `error`; not_applied: the row
   * was fine but another row failed, so nothing was applied.
   */
  status: BatchRowStatus,
  balanceBeforeMicros: Nullable(SignedMicros()),
  balanceAfterMicros: Nullable(SignedMicros()),
  /** The ledger entry written (applied) or found (replayed). */
  entryId: Nullable(Type.String()),
  error: Nullable(BatchRowError),
  message: Nullable(BatchRowMessage()),
});
export type BatchAdjustRowResult = Static<typeof BatchAdjustRowResult>;

export const GroupMultiplierInput = Type.Object(
  {
    group: GroupName(),
    /** The multiplier as an exact ratio in basis points: 10000 = ×1, 8000 = ×0.8. */
    multiplierBasisPoints: Type.Integer({
      minimum: 0,
      maximum: LIMITS.multiplierBasisPoints,
      errorMessage: `{param} must be an integer from 0 to ${LIMITS.multiplierBasisPoints} (10000 = ×1)`,
    }),
  },
  STRICT,
);
export type GroupMultiplierInput = Static<typeof GroupMultiplierInput>;

export const GroupMultiplierView = Type.Object({
  group: Type.String(),
  multiplierBasisPoints: Type.Integer({ minimum: 0 }),
  /** For display only: the same ratio as a decimal, e.g. "0.8000". */
  multiplier: Type.String(),
  updatedAt: Instant(),
});
export type GroupMultiplierView = Static<typeof GroupMultiplierView>;

export const HoldView = Type.Object({
  holdId: Uuid(),
  userId: Uuid(),
  keyId: Uuid(),
  model: Type.String(),
  amountMicros: Micros(),
  tid: Nullable(Type.String()),
  /** The credit grant the request was admitted on; null for a per-request reserve. */
  grantId: Type.Optional(Nullable(Uuid())),
  createdAt: Instant(),
  expiresAt: Instant(),
});
export type HoldView = Static<typeof HoldView>;

/** Usage aggregated by UTC day, user, key and model. Every filter is optional. */
export const UsageRequest = Type.Object(
  {
    /** ISO 8601; usage recorded at or after this instant. */
    from: Type.Optional(Nullable(Instant())),
    /** ISO 8601; usage recorded before this instant. */
    to: Type.Optional(Nullable(Instant())),
    userId: Type.Optional(Uuid()),
    keyId: Type.Optional(Uuid()),
    model: Type.Optional(ModelName()),
    /** Most rows returned (default 1000). */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.usageRows })),
  },
  STRICT,
);
export type UsageRequest = Static<typeof UsageRequest>;

/** What a usage row and a request-log entry count alike: tokens by kind, units, and the cost. */
const USAGE_COUNTS = {
  inputTokens: Count(),
  outputTokens: Count(),
  /** Parts of inputTokens. */
  cachedInputTokens: Count(),
  cacheWriteTokens: Count(),
  /** Part of outputTokens. */
  reasoningTokens: Count(),
  images: Count(),
  characters: Count(),
  audioSeconds: Count(),
  costMicros: Micros(),
};

export const UsageRow = Type.Object({
  /** UTC day, YYYY-MM-DD. */
  day: Type.String(),
  userId: Type.String(),
  keyId: Type.String(),
  model: Type.String(),
  requests: Count(),
  failedRequests: Count(),
  ...USAGE_COUNTS,
});
export type UsageRow = Static<typeof UsageRow>;

export const UsageReport = Type.Object({
  rows: Type.Array(UsageRow),
  /** More rows matched than `limit`. */
  truncated: Type.Boolean(),
});
export type UsageReport = Static<typeof UsageReport>;

/**
 * The request log: settled requests (one usage-log row each), newest first,
 * every filter optional. `cursor` is the `nextCursor` of the previous page,
 * a keyset on (created_at, id) that billing encodes.
 */
export const RequestLogRequest = Type.Object(
  {
    tid: Type.Optional(TraceId()),
    userId: Type.Optional(Uuid()),
    keyId: Type.Optional(Uuid()),
    model: Type.Optional(ModelName()),
    channelId: Type.Optional(ChannelId()),
    /** The HTTP status the client got. */
    httpStatus: Type.Optional(HttpStatus()),
    /** true: the requests that were charged; false: those that failed and were released. */
    succeeded: Type.Optional(Type.Boolean()),
    /** ISO 8601; settled at or after this instant. */
    from: Type.Optional(Nullable(Instant())),
    /** ISO 8601; settled before this instant. */
    to: Type.Optional(Nullable(Instant())),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.requestLogPart })),
    cursor: Type.Optional(Nullable(KeysetCursor())),
  },
  STRICT,
);
export type RequestLogRequest = Static<typeof RequestLogRequest>;

/** One settled request as the usage log keeps it. */
export const RequestLogEntryView = Type.Object({
  id: Type.String(),
  tid: Nullable(Type.String()),
  holdId: Uuid(),
  userId: Type.String(),
  keyId: Type.String(),
  model: Type.String(),
  channelId: Nullable(Type.Integer()),
  httpStatus: HttpStatus(),
  succeeded: Type.Boolean(),
  stream: Type.Boolean(),
  latencyMs: Count(),
  ...USAGE_COUNTS,
  createdAt: Instant(),
});
export type RequestLogEntryView = Static<typeof RequestLogEntryView>;

export const HOLD_STATUSES = ['open', 'settled', 'released', 'expired'] as const;

/** A request's hold as it ended: what was held, and what was charged when it closed. */
export const HoldOutcomeView = Type.Object({
  holdId: Uuid(),
  status: OneOf(HOLD_STATUSES),
  heldMicros: Micros(),
  /** null while open. */
  chargedMicros: Nullable(Micros()),
  grantId: Nullable(Uuid()),
  createdAt: Instant(),
  closedAt: Nullable(Instant()),
});
export type HoldOutcomeView = Static<typeof HoldOutcomeView>;

export const RequestTraceRequest = Type.Object({ tid: TraceId() }, STRICT);
export type RequestTraceRequest = Static<typeof RequestTraceRequest>;

/**
 * Everything billing knows of one tid: each request settled under it
 * (normally one: retries within a request settle once; a client that sends
 * one traceparent twice makes two), its hold and its ledger lines.
 */
export const RequestTrace = Type.Object({
  tid: Type.String(),
  /** At most LIMITS.traceRequests, the oldest. */
  requests: Type.Array(
    Type.Object({
      request: RequestLogEntryView,
      hold: Nullable(HoldOutcomeView),
      /** hold, then release and charge, or expiry; oldest first. */
      ledger: Type.Array(LedgerEntryView),
    }),
  ),
});
export type RequestTrace = Static<typeof RequestTrace>;

export const RECONCILE_KINDS = [
  'balance_vs_ledger',
  'held_vs_open_holds',
  'key_spend_vs_holds',
  /** accounts.granted_micros vs Σ (money_amount − money_drawn) over the user's grants not closed. */
  'granted_vs_open_grants',
  /** key_spend.granted_micros vs the same over the key's grants not closed. */
  'key_granted_vs_open_grants',
] as const;
export const ReconcileKind = OneOf(RECONCILE_KINDS);
export type ReconcileKind = Static<typeof ReconcileKind>;

export const ReconcileDifference = Type.Object({
  kind: ReconcileKind,
  userId: Nullable(Type.String()),
  keyId: Nullable(Type.String()),
  /** What the account (or key_spend) row says. */
  recordedMicros: SignedMicros(),
  /** What the ledger (or the holds) add up to. */
  expectedMicros: SignedMicros(),
  /** recorded − expected. */
  differenceMicros: SignedMicros(),
});
export type ReconcileDifference = Static<typeof ReconcileDifference>;

/** An account billing holds for a user id auth does not know: money nobody can spend or be billed for. */
export const AccountWithoutUser = Type.Object({
  userId: Type.String(),
  balanceMicros: SignedMicros(),
  heldMicros: Micros(),
});
export type AccountWithoutUser = Static<typeof AccountWithoutUser>;

export const ReconcileReport = Type.Object({
  checkedAt: Instant(),
  accounts: Count(),
  keys: Count(),
  /** No difference and no account without a user. */
  ok: Type.Boolean(),
  differences: Type.Array(ReconcileDifference),
  accountsWithoutUser: Type.Array(AccountWithoutUser),
  /**
   * Admission records appended by edges and not yet recorded as holds (the
   * admission consumer's pending and unacknowledged messages). The books
   * are complete up to now when this is 0 and no hold is open. Null when
   * JetStream did not answer.
   */
  pendingAdmissions: Type.Optional(Nullable(Count())),
});
export type ReconcileReport = Static<typeof ReconcileReport>;

/** Broadcast to every billing replica when prices or multipliers change, so caches drop them at once. */
export const PricesChanged = Type.Object({
  models: Type.Optional(Type.Array(Type.String())),
  groups: Type.Optional(Type.Array(Type.String())),
});
export type PricesChanged = Static<typeof PricesChanged>;

const UserRef = Type.Object({ userId: Uuid() }, STRICT);

export const BillingSubjects = {
  reserve: subject('tollgate.billing.reserve', ReserveRequest, Reply(Hold)),
  setPrice: subject('tollgate.billing.prices.set', PriceInput, Reply(PriceView)),
  listPrices: subject('tollgate.billing.prices.list', Empty, Type.Array(PriceView)),
  topUp: subject('tollgate.billing.topup', TopUpRequest, Reply(AdjustmentResult)),
  balance: subject('tollgate.billing.balance', UserRef, Reply(BalanceView)),
  ledger: subject('tollgate.billing.ledger', LedgerRequest, Reply(Page(LedgerEntryView))),
  ping: subject('tollgate.billing.ping', Empty, PingReply),
  adjust: subject('tollgate.billing.adjust', AdjustRequest, Reply(AdjustmentResult)),
  stageBatchRows: subject('tollgate.billing.adjust.batch.stage', StageBatchRowsRequest, Reply(StagedBatchRows)),
  batchAdjust: subject('tollgate.billing.adjust.batch', BatchAdjustRequest, Reply(BatchAdjustResult)),
  batchRows: subject('tollgate.billing.adjust.batch.rows', BatchRowsRequest, Reply(Page(BatchAdjustRowResult))),
  setGroupMultiplier: subject('tollgate.billing.groups.set', GroupMultiplierInput, Reply(GroupMultiplierView)),
  listGroupMultipliers: subject('tollgate.billing.groups.list', Empty, Type.Array(GroupMultiplierView)),
  holds: subject('tollgate.billing.holds.list', UserRef, Reply(Type.Array(HoldView))),
  /** The user's credit grants that are not closed (staff views). */
  grants: subject('tollgate.billing.grants.list', UserRef, Reply(Type.Array(GrantView))),
  acquireGrant: subject('tollgate.billing.grants.acquire', AcquireGrantRequest, GrantAnswer),
  returnGrants: subject('tollgate.billing.grants.return', ReturnGrantsRequest, ReturnGrantsResult),
  /** Broadcast to every edge: give these grants back now (another edge needs them, staff, suspension). */
  grantsReclaim: eventSubject('tollgate.broadcast.billing.grants-reclaim', GrantsReclaim),
  usage: subject('tollgate.billing.usage', UsageRequest, Reply(UsageReport)),
  requests: subject('tollgate.billing.requests', RequestLogRequest, Reply(Page(RequestLogEntryView))),
  /** A tid nothing was settled under is the documented 404. */
  requestTrace: subject('tollgate.billing.requests.trace', RequestTraceRequest, Reply(RequestTrace)),
  /** A Reply: an account billing cannot match to a user is confirmed with auth, which may not answer. */
  reconcile: subject('tollgate.billing.reconcile', Empty, Reply(ReconcileReport)),
  /** Broadcast (outside the queue group): every billing replica drops the named cache entries. */
  pricesChanged: eventSubject('tollgate.broadcast.billing.prices-changed', PricesChanged),
} as const;

/** JetStream: the durable settlement stream (edge publishes, billing consumes). */
export const SETTLEMENT_STREAM = {
  stream: 'TOLLGATE_SETTLEMENTS',
  subject: 'tollgate.billing.settlements',
  durableConsumer: 'billing-settler',
} as const;
