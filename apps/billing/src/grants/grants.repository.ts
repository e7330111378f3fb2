import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GRANT_STATUSES } from '@tollgate/contracts';
import { MicroBatcher } from '@tollgate/service';
import { isUniqueViolation } from '../db-errors.js';
import type { UnitPrices } from '@tollgate/pricing';
import type { AcquireGrantsOutcome, RecordAdmissionOutcome, ReturnGrantsOutcome } from '../sql/sql-outcomes.js';

export type { RecordAdmissionOutcome } from '../sql/sql-outcomes.js';

/** One bundle an edge asks for: money and requests for one (user, key, model) in the current rate window. */
export interface AcquireGrantCall {
  /** The edge's id for the grant: a renewal is a new grant with a new id. */
  grantId: string;
  /** The edge replica the grant is for (it alone admits on it, and only it may return it). */
  edgeId: string;
  userId: string;
  keyId: string;
  model: string;
  group: string;
  /** The rate_windows scopes (limits/rate-limit.ts), as a per-request reserve counts them. */
  keyScope: string;
  keyRpm: number;
  userScope: string;
  userRpm: number;
  /** The key's budget; null = none. */
  keyBudgetMicros: bigint | null;
  /** The most money and requests the edge wants. */
  wantMicros: bigint;
  wantRequests: number;
  /** What one request of this (key, model) holds: the fallback floor is counted in these. */
  unitMicros: bigint;
  /** The prices quoted now, kept on the grant; a grant never covers images or audio (both must be null). */
  prices: UnitPrices;
  multiplierBp: number;
  /** The grant ends at the earlier of now() + validityMs and the end of its rate window (database clock). */
  validityMs: number;
  /** A grant takes at most 1/shareDivisor of what is free (of each limit); at least 1. */
  shareDivisor: number;
  /** Declined ('few_left') when less than this many requests, or their money, would be granted. */
  fallbackRequests: number;
}

export type AcquireGrantOutcome =
  | {
      outcome: 'granted';
      moneyMicros: bigint;
      requests: number;
      /** The key+model limit, and the window's count before this grant (for the RateLimit headers). */
      keyLimit: number;
      keyCountBefore: number;
      /** Whole ms from billing's now() to the grant's expiry, and to its window's end. */
      validForMs: number;
      windowEndsInMs: number;
    }
  | {
      outcome: Extract<AcquireGrantsOutcome, 'few_left' | 'no_account'>;
      keyLimit: number;
      /** The key window's count now. */
      keyCountBefore: number;
      windowEndsInMs: number;
    }
  /** A grant with this id exists: nothing changed. */
  | { outcome: 'duplicate' };

/** A grant an edge gives back, with everything it admitted on it (appends in flight or failed included). */
export interface ReturnGrantCall {
  grantId: string;
  edgeId: string;
  admittedMicros: bigint;
  admissions: number;
  /** Why (idle, renewed, reclaimed, shutdown, …): kept as the grant's close_reason. */
  reason: string;
}

export type ReturnGrantOutcome = ReturnGrantsOutcome;

/** One request admitted from a grant, as the edge records it; its hold id is admissionId. */
export interface AdmissionItem {
  admissionId: string;
  grantId: string;
  userId: string;
  keyId: string;
  model: string;
  tid: string | null;
  /** What the edge took from the grant for the request: the hold's amount. */
  amountMicros: bigint;
  /** The hold's time to live (HOLD_TTL_MS). */
  ttlMs: number;
}

export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** A grant as stored. Instants are ISO strings. */
export interface GrantRow {
  grantId: string;
  edgeId: string;
  userId: string;
  keyId: string;
  model: string;
  group: string;
  keyScope: string;
  userScope: string;
  windowStart: string;
  moneyAmountMicros: bigint;
  moneyDrawnMicros: bigint;
  requestsAmount: number;
  requestsDrawn: number;
  /** The prices quoted at grant time (image and audio always null), and the group multiplier. */
  prices: UnitPrices;
  multiplierBp: number;
  status: GrantStatus;
  drainSeq: bigint | null;
  closeReason: string | null;
  expiresAt: string;
  createdAt: string;
  closedAt: string | null;
}

export interface CloseGrantsResult {
  /** Open grants past expiry + grace, now draining. */
  drained: number;
  closed: number;
  /** Micro-units the closed grants gave back to the liens. */
  freedMicros: bigint;
}

interface AcquireRow {
  r_index: number;
  r_outcome: AcquireGrantsOutcome;
  r_money: string | null;
  r_requests: number | null;
  r_key_limit: number | null;
  r_key_count_before: number | null;
  r_valid_for_ms: string | null;
  r_window_ends_in_ms: string | null;
}

interface OutcomeRow<T> {
  r_index: number;
  r_outcome: T;
}

interface StoredGrant {
  id: string;
  edge_id: string;
  user_id: string;
  key_id: string;
  model: string;
  group_name: string;
  key_scope: string;
  user_scope: string;
  window_start: Date;
  money_amount: string;
  money_drawn: string;
  requests_amount: number;
  requests_drawn: number;
  input_per_million_micros: string;
  output_per_million_micros: string;
  characters_per_million_micros: string;
  cached_input_per_million_micros: string | null;
  cache_write_per_million_micros: string | null;
  reasoning_per_million_micros: string | null;
  multiplier_bp: number;
  status: GrantStatus;
  drain_seq: string | null;
  close_reason: string | null;
  expires_at: Date;
  created_at: Date;
  closed_at: Date | null;
}

const GRANT_COLUMNS = `id, edge_id, user_id, key_id, model, group_name, key_scope, user_scope, window_start,
  money_amount, money_drawn, requests_amount, requests_drawn, input_per_million_micros, output_per_million_micros,
  characters_per_million_micros, cached_input_per_million_micros, cache_write_per_million_micros,
  reasoning_per_million_micros, multiplier_bp, status, drain_seq, close_reason, expires_at, created_at, closed_at`;

/** Batches running at once per replica; the calls arriving meanwhile form the next batch. */
const CONCURRENT_BATCHES = 2;
const MAX_BATCH = 64;

/**
 * Credit grants in the database: acquire (billing.acquire_grants), return
 * (billing.return_grants), recording admissions as holds
 * (billing.record_admissions), and the sweeper's round
 * (billing.close_grants). The guarantees and lock order are in the SQL
 * files' headers (src/sql/).
 */
@Injectable()
export class GrantsRepository {
  private readonly acquirer = new MicroBatcher<AcquireGrantCall, AcquireGrantOutcome>({
    maxBatchSize: MAX_BATCH,
    maxConcurrentBatches: CONCURRENT_BATCHES,
    run: (calls) => this.acquireBatch(calls),
  });

  private readonly recorder = new MicroBatcher<AdmissionItem, RecordAdmissionOutcome>({
    maxBatchSize: MAX_BATCH,
    maxConcurrentBatches: CONCURRENT_BATCHES,
    run: (items) => this.recordBatch(items),
  });

  constructor(private readonly db: DataSource) {}

  /**
   * One grant, all or nothing. Acquires arriving together share one
   * transaction (billing.acquire_grants); each is still sized and checked on
   * its own. Throws, before any SQL, for a call with an image or audio price
   * or with sizes out of range.
   */
  async acquire(call: AcquireGrantCall): Promise<AcquireGrantOutcome> {
    checkAcquire(call);
    return this.acquirer.submit(call);
  }

  /**
   * Gives back grants: each is cut to what its edge admitted and the rest
   * freed. `drainSeq` is the admission stream's last sequence, read just
   * before the call. One outcome per call, in order.
   */
  async returnGrants(calls: ReturnGrantCall[], drainSeq: bigint): Promise<ReturnGrantOutcome[]> {
    if (calls.length === 0) return [];
    const items = calls.map((call) => ({
      grantId: call.grantId,
      edgeId: call.edgeId,
      admittedMicros: call.admittedMicros.toString(),
      admissions: call.admissions,
      reason: call.reason,
    }));
    const rows = await this.db.query<Array<OutcomeRow<ReturnGrantsOutcome>>>(
      `SELECT * FROM billing.return_grants($1::jsonb, $2::bigint)`,
      [JSON.stringify(items), drainSeq.toString()],
    );
    return inOrder(rows, calls.length, 'billing.return_grants');
  }

  /** Turns admissions into holds, once each; batched with concurrent calls (billing.record_admissions). */
  recordAdmissions(items: AdmissionItem[]): Promise<RecordAdmissionOutcome[]> {
    return Promise.all(items.map((item) => this.recorder.submit(item)));
  }

  /** How acquires and records were batched (see MicroBatcher.stats). */
  get batchStats(): {
    acquire: MicroBatcher<unknown, unknown>['stats'];
    record: MicroBatcher<unknown, unknown>['stats'];
  } {
    return { acquire: this.acquirer.stats, record: this.recorder.stats };
  }

  /**
   * The sweeper's round: open grants past expiry + grace drain (drain_seq =
   * `drainSeq`); returned and draining grants close once used up or once the
   * consumer's `ackFloor` has reached their drain_seq. Zeros when another
   * replica is sweeping.
   */
  async closeGrants(drainSeq: bigint, ackFloor: bigint, graceMs: number): Promise<CloseGrantsResult> {
    const [row] = await this.db.query<Array<{ r_drained: number; r_closed: number; r_freed_micros: string }>>(
      `SELECT * FROM billing.close_grants($1::bigint, $2::bigint, $3::bigint)`,
      [drainSeq.toString(), ackFloor.toString(), graceMs],
    );
    if (!row) throw new Error('billing.close_grants returned no row');
    return { drained: row.r_drained, closed: row.r_closed, freedMicros: BigInt(row.r_freed_micros) };
  }

  /** The user's grants not closed, oldest first (for staff views). */
  async liveGrants(userId: string): Promise<GrantRow[]> {
    const rows = await this.db.query<StoredGrant[]>(
      `SELECT ${GRANT_COLUMNS} FROM billing.grants WHERE user_id = $1 AND status <> 'closed' ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(toGrantRow);
  }

  /** The grants with these ids, whatever their status (closed ones are kept a day); unknown ids are left out. */
  async grantsById(grantIds: string[]): Promise<GrantRow[]> {
    if (grantIds.length === 0) return [];
    const rows = await this.db.query<StoredGrant[]>(
      `SELECT ${GRANT_COLUMNS} FROM billing.grants WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [grantIds],
    );
    return rows.map(toGrantRow);
  }

  /** Open grants of the user (of one key of it, if given) with money or requests billing has not drawn. */
  async reclaimable(scope: { userId: string; keyId?: string }): Promise<Array<{ grantId: string; edgeId: string }>> {
    const rows = await this.db.query<Array<{ id: string; edge_id: string }>>(
      `SELECT id, edge_id FROM billing.grants
        WHERE user_id = $1 AND status = 'open' AND ($2::uuid IS NULL OR key_id = $2::uuid)
          AND (money_drawn < money_amount OR requests_drawn < requests_amount)
        ORDER BY id`,
      [scope.userId, scope.keyId ?? null],
    );
    return rows.map((row) => ({ grantId: row.id, edgeId: row.edge_id }));
  }

  /** How many of these grants are still open. */
  async stillOpen(grantIds: string[]): Promise<number> {
    if (grantIds.length === 0) return 0;
    const [row] = await this.db.query<Array<{ open: number }>>(
      `SELECT count(*)::integer AS open FROM billing.grants WHERE id = ANY($1::uuid[]) AND status = 'open'`,
      [grantIds],
    );
    return row?.open ?? 0;
  }

  private async acquireBatch(calls: AcquireGrantCall[]): Promise<AcquireGrantOutcome[]> {
    const items = JSON.stringify(calls.map(acquireItem));
    const query = () => this.db.query<AcquireRow[]>(`SELECT * FROM billing.acquire_grants($1::jsonb)`, [items]);
    let rows: AcquireRow[];
    try {
      rows = await query();
    } catch (error) {
      // The same id acquired at the same moment on another replica: once that commits, this one is a duplicate.
      if (!isUniqueViolation(error)) throw error;
      rows = await query();
    }
    const byIndex = new Map(rows.map((row) => [row.r_index, row]));
    return calls.map((_, index) => acquireOutcomeOf(byIndex.get(index + 1)));
  }

  private async recordBatch(items: AdmissionItem[]): Promise<RecordAdmissionOutcome[]> {
    const rows = await this.db.query<Array<OutcomeRow<RecordAdmissionOutcome>>>(
      `SELECT * FROM billing.record_admissions($1::jsonb)`,
      [JSON.stringify(items.map(admissionJson))],
    );
    return inOrder(rows, items.length, 'billing.record_admissions');
  }
}

/**
 * An admission as the SQL reads it (billing.record_admission's item): for
 * billing.record_admissions, and as the `admission` of a billing.settle_holds
 * item (its holdId must be the admissionId).
 */
export function admissionJson(item: AdmissionItem): object {
  return {
    admissionId: item.admissionId,
    grantId: item.grantId,
    userId: item.userId,
    keyId: item.keyId,
    model: item.model,
    tid: item.tid,
    amountMicros: item.amountMicros.toString(),
    ttlMs: item.ttlMs,
  };
}

function checkAcquire(call: AcquireGrantCall): void {
  if (call.prices.imageMicros !== null || call.prices.audioPerMinuteMicros !== null) {
    throw new RangeError('a grant never covers images or audio: its image and audio prices must be null');
  }
  if (!Number.isSafeInteger(call.shareDivisor) || call.shareDivisor < 1) {
    throw new RangeError('shareDivisor must be a whole number of at least 1');
  }
  for (const [name, value] of [
    ['wantRequests', call.wantRequests],
    ['fallbackRequests', call.fallbackRequests],
    ['validityMs', call.validityMs],
    ['keyRpm', call.keyRpm],
    ['userRpm', call.userRpm],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number, not negative`);
  }
  if (call.wantMicros < 0n || call.unitMicros < 0n)
    throw new RangeError('wantMicros and unitMicros must not be negative');
}

function acquireItem(call: AcquireGrantCall): object {
  const { prices } = call;
  return {
    grantId: call.grantId,
    edgeId: call.edgeId,
    userId: call.userId,
    keyId: call.keyId,
    model: call.model,
    group: call.group,
    keyScope: call.keyScope,
    keyRpm: call.keyRpm,
    userScope: call.userScope,
    userRpm: call.userRpm,
    keyBudget: call.keyBudgetMicros?.toString() ?? null,
    wantMicros: call.wantMicros.toString(),
    unitMicros: call.unitMicros.toString(),
    wantRequests: call.wantRequests,
    inputPrice: prices.inputPerMillionMicros.toString(),
    outputPrice: prices.outputPerMillionMicros.toString(),
    charactersPrice: prices.charactersPerMillionMicros.toString(),
    cachedInputPrice: prices.cachedInputPerMillionMicros?.toString() ?? null,
    cacheWritePrice: prices.cacheWritePerMillionMicros?.toString() ?? null,
    reasoningPrice: prices.reasoningPerMillionMicros?.toString() ?? null,
    multiplierBp: call.multiplierBp,
    validityMs: call.validityMs,
    shareDivisor: call.shareDivisor,
    fallbackRequests: call.fallbackRequests,
  };
}

function acquireOutcomeOf(row: AcquireRow | undefined): AcquireGrantOutcome {
  if (!row) throw new Error('billing.acquire_grants returned no row for an acquire');
  if (row.r_outcome === 'duplicate') return { outcome: 'duplicate' };
  const keyLimit = required(row.r_key_limit, 'r_key_limit');
  const keyCountBefore = required(row.r_key_count_before, 'r_key_count_before');
  const windowEndsInMs = Number(required(row.r_window_ends_in_ms, 'r_window_ends_in_ms'));
  if (row.r_outcome !== 'granted') return { outcome: row.r_outcome, keyLimit, keyCountBefore, windowEndsInMs };
  return {
    outcome: 'granted',
    moneyMicros: BigInt(required(row.r_money, 'r_money')),
    requests: required(row.r_requests, 'r_requests'),
    keyLimit,
    keyCountBefore,
    validForMs: Number(required(row.r_valid_for_ms, 'r_valid_for_ms')),
    windowEndsInMs,
  };
}

function required<T>(value: T | null, column: string): T {
  if (value === null) throw new Error(`billing.acquire_grants returned no ${column}`);
  return value;
}

function inOrder<T>(rows: Array<OutcomeRow<T>>, count: number, fn: string): T[] {
  const byIndex = new Map(rows.map((row) => [row.r_index, row.r_outcome]));
  return Array.from({ length: count }, (_, index) => {
    const outcome = byIndex.get(index + 1);
    if (outcome === undefined) throw new Error(`${fn} returned no row for item ${index + 1}`);
    return outcome;
  });
}

const microsOrNull = (micros: string | null): bigint | null => (micros === null ? null : BigInt(micros));

function toGrantRow(row: StoredGrant): GrantRow {
  return {
    grantId: row.id,
    edgeId: row.edge_id,
    userId: row.user_id,
    keyId: row.key_id,
    model: row.model,
    group: row.group_name,
    keyScope: row.key_scope,
    userScope: row.user_scope,
    windowStart: row.window_start.toISOString(),
    moneyAmountMicros: BigInt(row.money_amount),
    moneyDrawnMicros: BigInt(row.money_drawn),
    requestsAmount: row.requests_amount,
    requestsDrawn: row.requests_drawn,
    prices: {
      inputPerMillionMicros: BigInt(row.input_per_million_micros),
      outputPerMillionMicros: BigInt(row.output_per_million_micros),
      charactersPerMillionMicros: BigInt(row.characters_per_million_micros),
      cachedInputPerMillionMicros: microsOrNull(row.cached_input_per_million_micros),
      cacheWritePerMillionMicros: microsOrNull(row.cache_write_per_million_micros),
      reasoningPerMillionMicros: microsOrNull(row.reasoning_per_million_micros),
      imageMicros: null,
      audioPerMinuteMicros: null,
    },
    multiplierBp: row.multiplier_bp,
    status: row.status,
    drainSeq: microsOrNull(row.drain_seq),
    closeReason: row.close_reason,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
