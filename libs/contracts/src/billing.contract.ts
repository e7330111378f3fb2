import { eventSubject, subject, type Reply } from './subject.js';
import type { Page } from './auth.contract.js';

/** What a request is expected to consume, estimated by the edge before the call. */
export interface UsageEstimate {
  inputTokens: number;
  /** Upper bound on output tokens (max_tokens × n, or the model's cap). */
  outputTokens: number;
  images: number;
  imageSize: string | null;
  characters: number;
}

export interface ReserveRequest {
  /**
   * Chosen by the edge (a uuid), so that a reserve whose reply is lost (a
   * timeout, billing restarting) can still be released: the edge then
   * publishes a failed settlement for this id.
   */
  holdId: string;
  userId: string;
  keyId: string;
  keySuffix: string;
  group: string;
  model: string;
  rpmLimit: number | null;
  budgetMicros: string | null;
  estimate: UsageEstimate;
}

/** The state of the key's requests-per-minute window after this request, for RateLimit-* headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the current one-minute window ends. */
  resetSeconds: number;
}

export interface Hold {
  holdId: string;
  amountMicros: string;
  /** The key+model window after this request was counted (absent from older billing replicas). */
  rateLimit?: RateLimitState;
}

/** Actual consumption reported by the upstream (or counted by the edge). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  images: number;
  characters: number;
}

/**
 * Published to JetStream after every client request that holds money,
 * deduplicated by hold id. `succeeded: false` releases the hold in full.
 */
export interface Settlement {
  holdId: string;
  tid: string;
  userId: string;
  keyId: string;
  model: string;
  channelId: number | null;
  succeeded: boolean;
  usage: Usage;
  httpStatus: number;
  latencyMs: number;
  stream: boolean;
}

/**
 * One JetStream message on the settlement subject: the settlements one edge
 * had ready at the same moment, published together (a single settlement
 * object is accepted too). Each is still applied once per hold.
 */
export interface SettlementBatch {
  settlements: Settlement[];
}

export interface PriceInput {
  model: string;
  inputPerMillionMicros?: string;
  outputPerMillionMicros?: string;
  /** Price per image by size, e.g. `{ "1024x1024": "40000" }`. */
  imagePriceMicros?: Record<string, string>;
  charactersPerMillionMicros?: string;
}

export interface PriceView {
  model: string;
  inputPerMillionMicros: string;
  outputPerMillionMicros: string;
  imagePriceMicros: Record<string, string>;
  charactersPerMillionMicros: string;
  updatedAt: string;
}

export const LEDGER_ENTRY_TYPES = ['topup', 'adjustment', 'hold', 'charge', 'release', 'expiry'] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export interface LedgerEntryView {
  id: string;
  userId: string;
  type: LedgerEntryType;
  amountMicros: string;
  balanceAfterMicros: string;
  holdId: string | null;
  actor: string;
  reason: string | null;
  tid: string | null;
  idempotencyKey: string;
  createdAt: string;
}

export interface BalanceView {
  userId: string;
  balanceMicros: string;
  heldMicros: string;
  updatedAt: string | null;
}

export interface TopUpRequest {
  userId: string;
  amountMicros: string;
  actor: string;
  reason: string;
  idempotencyKey: string;
}

/** Newest entries first; `cursor` is the `nextCursor` of the previous page. */
export interface LedgerRequest {
  userId: string;
  limit?: number;
  cursor?: string | null;
  /** Only these entry types; absent or empty = all. */
  types?: LedgerEntryType[];
  /** ISO 8601; entries created at or after this instant. */
  from?: string | null;
  /** ISO 8601; entries created before this instant. */
  to?: string | null;
}

/**
 * The reply to a top-up or adjustment. A repeated idempotency key changes
 * nothing and answers with the entry the first request wrote
 * (`replayed: true`) and the balance as it is now.
 */
export interface AdjustmentResult {
  entry: LedgerEntryView;
  balance: BalanceView;
  replayed: boolean;
}

/** A signed correction by billing staff. */
export interface AdjustRequest {
  userId: string;
  /** Signed micro-units, e.g. "-2500000". Never zero. */
  amountMicros: string;
  actor: string;
  reason: string;
  idempotencyKey: string;
  /** Let a negative adjustment take the balance below zero (default false). */
  allowNegative?: boolean;
}

export interface BatchAdjustRow {
  userId: string;
  /** Signed micro-units. Never zero. */
  amountMicros: string;
  reason: string;
  idempotencyKey: string;
}

/** Applied all-or-nothing, in one transaction, in row order. */
export interface BatchAdjustRequest {
  rows: BatchAdjustRow[];
  /** Check every row and report the effect without changing anything. */
  dryRun: boolean;
  actor: string;
  allowNegative?: boolean;
}

export const BATCH_ROW_STATUSES = ['applied', 'would_apply', 'replayed', 'error', 'not_applied'] as const;
export type BatchRowStatus = (typeof BATCH_ROW_STATUSES)[number];

export interface BatchAdjustRowResult {
  index: number;
  userId: string;
  amountMicros: string;
  idempotencyKey: string;
  /**
   * applied / would_apply (dry run): the row's effect; replayed: its idempotency key
   * was applied before, nothing changes; error: see `error`; not_applied: the row
   * was fine but another row failed, so nothing was applied.
   */
  status: BatchRowStatus;
  balanceBeforeMicros: string | null;
  balanceAfterMicros: string | null;
  /** The ledger entry written (applied) or found (replayed). */
  entryId: string | null;
  error: string | null;
}

export interface BatchAdjustResult {
  dryRun: boolean;
  /** True only when every row was applied (or replayed) and committed. */
  applied: boolean;
  errorCount: number;
  rows: BatchAdjustRowResult[];
}

export interface GroupMultiplierInput {
  group: string;
  /** The multiplier as an exact ratio in basis points: 10000 = ×1, 8000 = ×0.8. */
  multiplierBasisPoints: number;
}

export interface GroupMultiplierView {
  group: string;
  multiplierBasisPoints: number;
  /** For display only: the same ratio as a decimal, e.g. "0.8000". */
  multiplier: string;
  updatedAt: string;
}

export interface HoldView {
  holdId: string;
  userId: string;
  keyId: string;
  model: string;
  amountMicros: string;
  tid: string | null;
  createdAt: string;
  expiresAt: string;
}

/** Usage aggregated by UTC day, user, key and model. Every filter is optional. */
export interface UsageRequest {
  /** ISO 8601; usage recorded at or after this instant. */
  from?: string | null;
  /** ISO 8601; usage recorded before this instant. */
  to?: string | null;
  userId?: string;
  keyId?: string;
  model?: string;
  /** Most rows returned (default 1000, at most 10000). */
  limit?: number;
}

export interface UsageRow {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  userId: string;
  keyId: string;
  model: string;
  requests: number;
  failedRequests: number;
  inputTokens: number;
  outputTokens: number;
  images: number;
  characters: number;
  costMicros: string;
}

export interface UsageReport {
  rows: UsageRow[];
  /** More rows matched than `limit`. */
  truncated: boolean;
}

export const RECONCILE_KINDS = ['balance_vs_ledger', 'held_vs_open_holds', 'key_spend_vs_holds'] as const;
export type ReconcileKind = (typeof RECONCILE_KINDS)[number];

export interface ReconcileDifference {
  kind: ReconcileKind;
  userId: string | null;
  keyId: string | null;
  /** What the account (or key_spend) row says. */
  recordedMicros: string;
  /** What the ledger (or the holds) add up to. */
  expectedMicros: string;
  /** recorded − expected. */
  differenceMicros: string;
}

export interface ReconcileReport {
  checkedAt: string;
  accounts: number;
  keys: number;
  ok: boolean;
  differences: ReconcileDifference[];
}

/** Broadcast to every billing replica when prices or multipliers change, so caches drop them at once. */
export interface PricesChanged {
  models?: string[];
  groups?: string[];
}

export const BillingSubjects = {
  reserve: subject<ReserveRequest, Reply<Hold>>('tollgate.billing.reserve'),
  setPrice: subject<PriceInput, Reply<PriceView>>('tollgate.billing.prices.set'),
  listPrices: subject<Record<string, never>, PriceView[]>('tollgate.billing.prices.list'),
  topUp: subject<TopUpRequest, Reply<AdjustmentResult>>('tollgate.billing.topup'),
  balance: subject<{ userId: string }, BalanceView>('tollgate.billing.balance'),
  ledger: subject<LedgerRequest, Reply<Page<LedgerEntryView>>>('tollgate.billing.ledger'),
  ping: subject<Record<string, never>, { service: string }>('tollgate.billing.ping'),
  adjust: subject<AdjustRequest, Reply<AdjustmentResult>>('tollgate.billing.adjust'),
  batchAdjust: subject<BatchAdjustRequest, Reply<BatchAdjustResult>>('tollgate.billing.adjust.batch'),
  setGroupMultiplier: subject<GroupMultiplierInput, Reply<GroupMultiplierView>>('tollgate.billing.groups.set'),
  listGroupMultipliers: subject<Record<string, never>, GroupMultiplierView[]>('tollgate.billing.groups.list'),
  holds: subject<{ userId: string }, Reply<HoldView[]>>('tollgate.billing.holds.list'),
  usage: subject<UsageRequest, Reply<UsageReport>>('tollgate.billing.usage'),
  reconcile: subject<Record<string, never>, ReconcileReport>('tollgate.billing.reconcile'),
  /** Broadcast (outside the queue group): every billing replica drops the named cache entries. */
  pricesChanged: eventSubject<PricesChanged>('tollgate.broadcast.billing.prices-changed'),
} as const;

/** JetStream: the durable settlement stream (edge publishes, billing consumes). */
export const SETTLEMENT_STREAM = {
  stream: 'TOLLGATE_SETTLEMENTS',
  subject: 'tollgate.billing.settlements',
  durableConsumer: 'billing-settler',
} as const;
