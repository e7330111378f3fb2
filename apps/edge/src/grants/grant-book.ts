import { GrantSizer, type WantedGrant } from './grant-sizer.js';

/** Why a slice was closed, as the return to billing says. */
export type ReturnReason = 'idle' | 'shutdown' | 'reclaimed' | 'invalidated' | 'expired' | 'replaced' | 'lost_reply';

/** One grant billing gave this edge for one (key, model), as its acquire reply carries it. */
export interface GrantedSlice<Q> {
  grantId: string;
  userId: string;
  keyId: string;
  model: string;
  moneyMicros: bigint;
  requests: number;
  /** The prices quoted at grant time; the book never reads them. */
  quote: Q;
  /** For the RateLimit headers: the key's limit and its window's count before this grant. */
  keyLimit: number;
  keyCountBefore: number;
  /** From billing, counted from when the edge SENT the acquire. */
  validForMs: number;
  windowEndsInMs: number;
}

/** What a caller sees of an open slice. */
export interface LiveSlice<Q> {
  readonly grantId: string;
  readonly userId: string;
  readonly keyId: string;
  readonly model: string;
  readonly quote: Q;
}

/** One admission taken from a slice: handed back to untake or appendSettled, exactly as received. */
export interface Taken {
  readonly grantId: string;
  readonly amountMicros: bigint;
}

/** A closed slice, for the return to billing: everything admitted from it, appends failed or not. */
export interface GrantReturn {
  grantId: string;
  userId: string;
  keyId: string;
  model: string;
  admittedMicros: bigint;
  admissions: number;
  reason: ReturnReason;
}

/** Which slices a close covers: a slice matches when it is named in ANY of the lists given. */
export interface SliceMatch {
  grantIds?: readonly string[];
  userIds?: readonly string[];
  keyIds?: readonly string[];
  models?: readonly string[];
}

export interface RateLimitHint {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** A (key, model) whose slice should be renewed now. */
export interface RenewalDue {
  keyId: string;
  model: string;
  userId: string;
}

export interface GrantBookOptions {
  /** Milliseconds from a monotonic source (`performance.now` in production), never the wall clock. */
  clock: () => number;
  /** A slice with no take for this long is returned; two admissions this close make demand. */
  idleMs: number;
  /** How long a grant should last at the current rate. */
  horizonMs: number;
  minRequests: number;
  /** 4096 unless given. */
  maxRequests?: number;
}

export const DEFAULT_MAX_REQUESTS = 4096;

/** A close asked for while an acquire was in flight: null = every slice (closeAll). */
interface PendingClose {
  match: SliceMatch | null;
  reason: ReturnReason;
}

/** What the book knows of one (key, model) besides its slice. */
interface Pair {
  readonly sizer: GrantSizer;
  acquiring: boolean;
  /** Closes that happened while the acquire was in flight, applied to the grant it brings. */
  closesDuringAcquire: PendingClose[];
  declinedUntil: number;
}

/** What rateLimit needs of a take, kept apart from the slice so that it outlives the slice's return. */
interface TakenHint {
  limit: number;
  countAfter: number;
  windowEnd: number;
}

class Slice<Q> implements LiveSlice<Q> {
  readonly grantId: string;
  readonly userId: string;
  readonly keyId: string;
  readonly model: string;
  readonly quote: Q;
  readonly pair: string;
  readonly grantedMicros: bigint;
  readonly grantedRequests: number;
  readonly validForMs: number;
  readonly deadline: number;
  readonly windowEnd: number;
  readonly keyLimit: number;
  readonly keyCountBefore: number;
  /** Taken − untaken. */
  admittedMicros = 0n;
  admissions = 0;
  lastTakeAt: number;
  /** Takes whose append has not settled yet. */
  readonly inFlight = new Set<Taken>();
  closedFor: ReturnReason | null = null;

  constructor(granted: GrantedSlice<Q>, sentAt: number, now: number) {
    this.grantId = granted.grantId;
    this.userId = granted.userId;
    this.keyId = granted.keyId;
    this.model = granted.model;
    this.quote = granted.quote;
    this.pair = pairOf(granted.keyId, granted.model);
    this.grantedMicros = granted.moneyMicros;
    this.grantedRequests = granted.requests;
    this.validForMs = granted.validForMs;
    // Billing counted both from its clock after the acquire left this edge: from the send time they end
    // no later here than there, whatever the wall clocks say.
    this.deadline = sentAt + granted.validForMs;
    this.windowEnd = sentAt + granted.windowEndsInMs;
    this.keyLimit = granted.keyLimit;
    this.keyCountBefore = granted.keyCountBefore;
    this.lastTakeAt = now;
  }

  /** Before its deadline and its window's end (dead at or after either). */
  aliveAt(now: number): boolean {
    return now < this.deadline && now < this.windowEnd;
  }

  covers(amountMicros: bigint): boolean {
    return this.admissions + 1 <= this.grantedRequests && this.admittedMicros + amountMicros <= this.grantedMicros;
  }
}

const pairOf = (keyId: string, model: string): string => `${keyId}\u0000${model}`;

const matches = (slice: Slice<unknown>, match: SliceMatch | null): boolean =>
  match === null ||
  (match.grantIds?.includes(slice.grantId) ?? false) ||
  (match.userIds?.includes(slice.userId) ?? false) ||
  (match.keyIds?.includes(slice.keyId) ?? false) ||
  (match.models?.includes(slice.model) ?? false);

const copyOf = (match: SliceMatch): SliceMatch => ({
  grantIds: match.grantIds && [...match.grantIds],
  userIds: match.userIds && [...match.userIds],
  keyIds: match.keyIds && [...match.keyIds],
  models: match.models && [...match.models],
});

/**
 * This edge's slices of credit grants, one per (key, model), and the
 * admissions taken from them: a request is admitted from memory, without a
 * round trip to billing, while its slice covers it.
 *
 * Everything runs on one event loop and `take` is synchronous, so two
 * requests on this edge can never both pass a check only one should: the
 * check and the addition have no `await` between them.
 *
 * A slice closes (no take after that) on a reclaim, an invalidation, a
 * replacement by a newer grant, idleness, expiry or shutdown. It is
 * returned to billing, with everything admitted from it, only once none of
 * its admission records is still being appended: billing then clamps the
 * grant to what it was told, and a record still on its way must be counted
 * in that figure (an untaken one is not).
 *
 * Not covered (the caller's part): an acquire whose reply was lost is
 * returned by id by the caller ('lost_reply'); the book never learnt of it.
 */
export class GrantBook<Q> {
  private readonly clock: () => number;
  private readonly idleMs: number;
  private readonly horizonMs: number;
  private readonly minRequests: number;
  private readonly maxRequests: number;
  /** The open slice of each pair. */
  private readonly open = new Map<string, Slice<Q>>();
  /** Every slice not returned yet, open or closed, by grant id. */
  private readonly byGrant = new Map<string, Slice<Q>>();
  /** Closed, not returned yet. */
  private readonly closing = new Set<Slice<Q>>();
  private readonly pairs = new Map<string, Pair>();
  private readonly hints = new WeakMap<Taken, TakenHint>();

  constructor(options: GrantBookOptions) {
    const { clock, idleMs, horizonMs, minRequests, maxRequests = DEFAULT_MAX_REQUESTS } = options;
    if (!(idleMs > 0)) throw new RangeError(`idleMs must be positive, got ${idleMs}`);
    if (!(horizonMs > 0)) throw new RangeError(`horizonMs must be positive, got ${horizonMs}`);
    if (!Number.isInteger(minRequests) || minRequests < 1) {
      throw new RangeError(`minRequests must be a positive integer, got ${minRequests}`);
    }
    if (!Number.isInteger(maxRequests) || maxRequests < minRequests) {
      throw new RangeError(`maxRequests must be an integer ≥ minRequests, got ${maxRequests}`);
    }
    this.clock = clock;
    this.idleMs = idleMs;
    this.horizonMs = horizonMs;
    this.minRequests = minRequests;
    this.maxRequests = maxRequests;
  }

  /** The open slice of (key, model), before its deadline; null otherwise. */
  slice(keyId: string, model: string): LiveSlice<Q> | null {
    const slice = this.open.get(pairOf(keyId, model));
    return slice?.aliveAt(this.clock()) ? slice : null;
  }

  /**
   * All or nothing: money `amountMicros` and one request, if the slice still
   * covers both and is open and alive; null otherwise (admit per request).
   * A take feeds the pair's sizer, as noteDemand does for the per-request path.
   */
  take(slice: LiveSlice<Q>, amountMicros: bigint): Taken | null {
    if (amountMicros < 0n) throw new RangeError(`a negative amount cannot be taken: ${amountMicros}`);
    const held = this.byGrant.get(slice.grantId);
    if (held !== slice || held.closedFor !== null) return null;
    const now = this.clock();
    if (!held.aliveAt(now) || !held.covers(amountMicros)) return null;
    // No await from the check above to here: nothing else on this edge can take in between.
    held.admittedMicros += amountMicros;
    held.admissions += 1;
    held.lastTakeAt = now;
    const taken: Taken = Object.freeze({ grantId: held.grantId, amountMicros });
    held.inFlight.add(taken);
    this.hints.set(taken, {
      limit: held.keyLimit,
      countAfter: held.keyCountBefore + held.admissions,
      windowEnd: held.windowEnd,
    });
    this.pairs.get(held.pair)?.sizer.record(now, amountMicros);
    return taken;
  }

  /**
   * The admission record could not be appended (a definite refusal): the
   * money and the request go back, also to a closed slice, whose return then
   * reports less. The take counts as settled. A second call does nothing.
   */
  untake(taken: Taken): void {
    const slice = this.byGrant.get(taken.grantId);
    if (!slice?.inFlight.delete(taken)) return;
    slice.admittedMicros -= taken.amountMicros;
    slice.admissions -= 1;
  }

  /**
   * The append finished, whatever its result (stored, or unknown and
   * released by the caller): the take stays counted. A closed slice is
   * returned only once none of its takes is in flight. A second call does nothing.
   */
  appendSettled(taken: Taken): void {
    this.byGrant.get(taken.grantId)?.inFlight.delete(taken);
  }

  /**
   * The RateLimit hint after a take: the key's limit, what is left of it
   * (exact with one edge, a hint with several) and the seconds to the
   * window's end (rounded up, at least 1).
   */
  rateLimit(taken: Taken): RateLimitHint {
    const hint = this.hints.get(taken);
    if (!hint) throw new Error(`not a take of this book: grant ${taken.grantId}`);
    return {
      limit: hint.limit,
      remaining: Math.max(0, hint.limit - hint.countAfter),
      resetSeconds: Math.max(1, Math.ceil((hint.windowEnd - this.clock()) / 1000)),
    };
  }

  /** Single flight per (key, model): false when an acquire is already in flight. */
  beginAcquire(keyId: string, model: string): boolean {
    const pair = this.pairFor(keyId, model);
    if (pair.acquiring) return false;
    pair.acquiring = true;
    pair.closesDuringAcquire = [];
    return true;
  }

  /**
   * The acquire's answer. A granted slice is installed, and the previous
   * slice of that pair, if any, closed as 'replaced'. A close that matched
   * the grant while its acquire was in flight (billing may reclaim a grant
   * before its reply arrives here; a price change may have made its quote
   * stale) applies to it now: it is installed closed, for its return, and
   * the previous slice stays as it was.
   */
  endAcquire(keyId: string, model: string, granted: GrantedSlice<Q> | null, sentAt: number): void {
    const pair = this.pairFor(keyId, model);
    const closes = pair.closesDuringAcquire;
    pair.acquiring = false;
    pair.closesDuringAcquire = [];
    if (granted === null) return;
    if (granted.keyId !== keyId || granted.model !== model) {
      throw new Error(`a grant for ${granted.keyId}/${granted.model} answered an acquire for ${keyId}/${model}`);
    }
    // A reply seen twice installs nothing more.
    if (this.byGrant.has(granted.grantId)) return;
    const now = this.clock();
    // A send time after now would stretch the deadline past billing's.
    const slice = new Slice(granted, Math.min(sentAt, now), now);
    this.byGrant.set(slice.grantId, slice);
    const missed = closes.find((close) => matches(slice, close.match));
    if (missed) {
      this.closeSlice(slice, missed.reason);
      return;
    }
    const previous = this.open.get(slice.pair);
    if (previous) this.closeSlice(previous, 'replaced');
    this.open.set(slice.pair, slice);
  }

  /**
   * A per-request admission happened for (key, model, amount): feeds the
   * sizer. True: start an acquire now — the pair saw another admission within
   * idleMs (a single request earns no grant), no live slice covers this one,
   * no acquire is in flight and no 'declined' back-off is running. The user
   * is not needed (a renewal due names the user of its slice); the parameter
   * keeps the call the one the wrapper was written against.
   */
  noteDemand(keyId: string, model: string, _userId: string, amountMicros: bigint): boolean {
    const now = this.clock();
    const pair = this.pairFor(keyId, model);
    const previous = pair.sizer.lastAdmissionAt;
    pair.sizer.record(now, amountMicros);
    if (previous === null || now - previous > this.idleMs) return false;
    if (pair.acquiring || now < pair.declinedUntil) return false;
    const slice = this.open.get(pairOf(keyId, model));
    return !(slice?.aliveAt(now) && slice.covers(amountMicros));
  }

  /** Billing declined (few left): no acquire for that pair for `retryAfterMs`, renewals included. */
  declined(keyId: string, model: string, retryAfterMs: number): void {
    this.pairFor(keyId, model).declinedUntil = this.clock() + Math.max(0, retryAfterMs);
  }

  /** What to ask for: one horizon of the pair's rate, clamped, each request at its usual amount. */
  want(keyId: string, model: string): WantedGrant {
    const sizer = this.pairs.get(pairOf(keyId, model))?.sizer ?? new GrantSizer();
    return sizer.want({
      now: this.clock(),
      horizonMs: this.horizonMs,
      minRequests: this.minRequests,
      maxRequests: this.maxRequests,
    });
  }

  /**
   * Closes the matching slices now (no take after this): a reclaim, a key or
   * user invalidated, a price change. A slice matches when it is named in any
   * list given (so an empty match closes nothing). Returns how many closed;
   * a grant still on its way closes when it arrives (see endAcquire).
   */
  close(match: SliceMatch, reason: ReturnReason): number {
    let closed = 0;
    for (const slice of this.open.values()) {
      if (matches(slice, match)) {
        this.closeSlice(slice, reason);
        closed += 1;
      }
    }
    this.rememberForAcquires({ match: copyOf(match), reason });
    return closed;
  }

  /** Closes every slice now, and any grant still on its way when it arrives. */
  closeAll(reason: ReturnReason): void {
    for (const slice of this.open.values()) this.closeSlice(slice, reason);
    this.rememberForAcquires({ match: null, reason });
  }

  /**
   * Maintenance (every 250 ms): closes dead slices ('expired': at or after
   * the deadline or the window's end) and idle ones ('idle': no take for
   * idleMs); returns the pairs that need a renewal now — a live slice in use
   * (taken from within the last idleMs / 2) with less than half its validity
   * left, or less than half of its money or requests, whose pair has no
   * acquire in flight and no 'declined' back-off.
   */
  tick(): RenewalDue[] {
    const now = this.clock();
    const due: RenewalDue[] = [];
    for (const slice of this.open.values()) {
      if (!slice.aliveAt(now)) {
        this.closeSlice(slice, 'expired');
        continue;
      }
      if (now - slice.lastTakeAt >= this.idleMs) {
        this.closeSlice(slice, 'idle');
        continue;
      }
      const pair = this.pairs.get(slice.pair);
      if (!pair || pair.acquiring || now < pair.declinedUntil) continue;
      if (this.wantsRenewal(slice, now)) due.push({ keyId: slice.keyId, model: slice.model, userId: slice.userId });
    }
    this.forgetQuietPairs(now);
    return due;
  }

  /** Removes and returns every closed slice with no append in flight (each exactly once). */
  drainReturns(): GrantReturn[] {
    const returns: GrantReturn[] = [];
    for (const slice of this.closing) {
      if (slice.inFlight.size > 0 || slice.closedFor === null) continue;
      this.closing.delete(slice);
      this.byGrant.delete(slice.grantId);
      returns.push({
        grantId: slice.grantId,
        userId: slice.userId,
        keyId: slice.keyId,
        model: slice.model,
        admittedMicros: slice.admittedMicros,
        admissions: slice.admissions,
        reason: slice.closedFor,
      });
    }
    return returns;
  }

  /** Open slices, and closed ones not returned yet, for metrics and shutdown. */
  get size(): { live: number; closing: number } {
    return { live: this.open.size, closing: this.closing.size };
  }

  private wantsRenewal(slice: Slice<Q>, now: number): boolean {
    // Only a slice in use is renewed: one nobody took from lately is left to go back idle, or a key that
    // stopped would be renewed for ever (a renewal starts a fresh slice, idle-free).
    if (slice.admissions === 0 || now - slice.lastTakeAt >= this.idleMs / 2) return false;
    const left = Math.min(slice.deadline, slice.windowEnd) - now;
    return (
      left * 2 < slice.validForMs ||
      (slice.grantedMicros - slice.admittedMicros) * 2n < slice.grantedMicros ||
      (slice.grantedRequests - slice.admissions) * 2 < slice.grantedRequests
    );
  }

  private closeSlice(slice: Slice<Q>, reason: ReturnReason): void {
    if (slice.closedFor !== null) return;
    slice.closedFor = reason;
    if (this.open.get(slice.pair) === slice) this.open.delete(slice.pair);
    this.closing.add(slice);
  }

  private rememberForAcquires(close: PendingClose): void {
    for (const pair of this.pairs.values()) if (pair.acquiring) pair.closesDuringAcquire.push(close);
  }

  private pairFor(keyId: string, model: string): Pair {
    const key = pairOf(keyId, model);
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = { sizer: new GrantSizer(), acquiring: false, closesDuringAcquire: [], declinedUntil: 0 };
      this.pairs.set(key, pair);
    }
    return pair;
  }

  /** A pair with no slice, no acquire, no back-off and no admission for idleMs is forgotten: memory stays bounded. */
  private forgetQuietPairs(now: number): void {
    for (const [key, pair] of this.pairs) {
      if (pair.acquiring || this.open.has(key) || now < pair.declinedUntil) continue;
      const last = pair.sizer.lastAdmissionAt;
      if (last === null || now - last > this.idleMs) this.pairs.delete(key);
    }
  }
}
