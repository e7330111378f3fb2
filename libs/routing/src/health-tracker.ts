import { randomUUID } from 'node:crypto';
import type {
  ChannelHealthChange,
  ChannelHealthEvent,
  ChannelHealthSnapshot,
  ChannelHealthTransition,
  ChannelHealthView,
  ChannelStatus,
  UpstreamOutcome,
} from '@tollgate/contracts';
import type { Clock } from './clock.js';
import type { Availability, HealthReader } from './availability.js';
import type { HealthSettings } from './health-settings.js';
import type { OutcomeKind } from './outcome-kind.js';

export interface RecordedOutcome {
  /** What to broadcast, or null when nothing changed (a success on a healthy channel). */
  change: ChannelHealthChange | null;
  /** Set when the outcome says the key is dead: the caller persists auto_disabled with this reason. */
  autoDisableReason: string | null;
}

type Outcome = Pick<UpstreamOutcome, 'channelId' | 'status' | 'retryAfterSeconds' | 'errorCode' | 'id'>;

/** How many ids of outcomes this copy applied itself it remembers, to skip their echo (see receive). */
const OWN_EVENT_IDS_KEPT = 10_000;

const fresh = (channelId: number, version = 0): ChannelHealthSnapshot => ({
  channelId,
  version,
  consecutiveRateLimits: 0,
  cooldownUntil: null,
  consecutiveFailures: 0,
  circuit: 'closed',
  circuitOpenUntil: null,
  probeUntil: null,
  recentErrors: [],
});

/**
 * Per-channel cooldowns and circuit breakers, in memory, driven by events.
 *
 * Replicas agree by replaying the same events: the replica that sees an
 * outcome applies it at once and broadcasts the event; every other replica
 * replays it on its own state at the event's time. Counting is therefore
 * exact when outcomes of one channel reach different replicas concurrently
 * (increments commute), where copying whole snapshots would lose some. A
 * replica that has no record of the channel (it just started) adopts the
 * origin's snapshot instead, to pick up the history it missed. Transitions
 * that depend only on time (a cooldown ending, an open circuit turning
 * half-open) follow from the timestamps, identically everywhere, without
 * messages.
 *
 * Time is injected, so tests move it instead of waiting.
 */
export class HealthTracker implements HealthReader {
  private readonly records = new Map<number, ChannelHealthSnapshot>();
  /**
   * Ids of outcomes this copy applied when it saw them (an edge, for its
   * own outcomes): the router's broadcast of the same event is skipped, so
   * it counts once. Oldest first; bounded.
   */
  private readonly ownEventIds = new Set<string>();

  constructor(
    readonly settings: HealthSettings,
    private readonly clock: Clock,
    /** This replica's id in broadcasts, so that it skips its own echo. */
    readonly origin: string = randomUUID(),
  ) {}

  /** A copy of the channel's current record (a fresh one if it never had an event). */
  snapshot(channelId: number): ChannelHealthSnapshot {
    return structuredClone(this.records.get(channelId) ?? fresh(channelId));
  }

  /**
   * Whether the channel has a record that a success would change (failure
   * counts, a cooldown, a circuit, a probe). Without one, a success is a
   * no-op (see record), and pick tells the edge not to report it.
   */
  hasHistory(channelId: number): boolean {
    return this.records.has(channelId);
  }

  /** Every record this copy holds (the routing table carries them to edges that start). */
  allSnapshots(): ChannelHealthSnapshot[] {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  /**
   * Records from another copy's routing table, for channels this copy
   * holds nothing of (as receive does for one change): what it already
   * holds came from events it replayed, which stay more exact.
   */
  adopt(snapshots: readonly ChannelHealthSnapshot[]): void {
    for (const snapshot of snapshots) {
      if (!this.records.has(snapshot.channelId)) this.records.set(snapshot.channelId, structuredClone(snapshot));
    }
  }

  /**
   * Every record replaced by another copy's: for a copy that may have
   * missed broadcasts (an edge whose NATS connection was down), the
   * router's records are the more exact ones.
   */
  replaceAll(snapshots: readonly ChannelHealthSnapshot[]): void {
    this.records.clear();
    // An own outcome the other copy had not applied yet reaches it later, and its echo must then count
    // here too: the records it is in were just dropped.
    this.ownEventIds.clear();
    this.adopt(snapshots);
  }

  availability(channelId: number, now: number = this.clock()): Availability {
    const record = this.records.get(channelId);
    if (!record) return { kind: 'available', probe: false };
    const circuit = this.circuitAt(record, now);
    if (circuit.kind === 'blocked') return { kind: 'circuit_open', until: circuit.until };
    if (record.cooldownUntil !== null && now < record.cooldownUntil) {
      return { kind: 'cooling_down', until: record.cooldownUntil };
    }
    return { kind: 'available', probe: circuit.kind === 'probe' };
  }

  record(outcome: Outcome, kind: OutcomeKind): RecordedOutcome {
    // The common case, kept cheap: a good answer from a channel with no history.
    if (!this.records.has(outcome.channelId) && (kind === 'success' || kind === 'client_error')) {
      return { change: null, autoDisableReason: null };
    }
    const event: ChannelHealthEvent = {
      channelId: outcome.channelId,
      at: this.clock(),
      kind,
      status: outcome.status,
      errorCode: outcome.errorCode,
      retryAfterSeconds: outcome.retryAfterSeconds,
      ...(outcome.id === undefined ? {} : { id: outcome.id }),
    };
    const autoDisableReason =
      kind === 'dead_key'
        ? `upstream answered ${outcome.status}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}`
        : null;
    return { change: this.applyEvent(event), autoDisableReason };
  }

  /**
   * An outcome this copy saw first and will see again as the router's
   * broadcast (an edge's own outcome, reported with this id): applied now,
   * so the edge's next pick knows, and its echo skipped, so it counts once.
   */
  recordOwn(outcome: Outcome & { id: string }, kind: OutcomeKind): RecordedOutcome {
    const recorded = this.record(outcome, kind);
    if (recorded.change) this.rememberOwn(outcome.id);
    return recorded;
  }

  /**
   * A pick handed out a half-open channel: that request is the one probe.
   * Applied here at once (the next pick must not get it) and broadcast, so
   * that other replicas do not send probes of their own.
   */
  notePicked(channelId: number): ChannelHealthChange | null {
    if (!this.records.has(channelId)) return null;
    return this.applyEvent(this.controlEvent(channelId, 'probe'));
  }

  /** A fresh record after the channel is (re-)enabled; recent errors are kept for the health view. */
  reset(channelId: number): ChannelHealthChange {
    const change = this.applyEvent(this.controlEvent(channelId, 'reset'));
    if (!change) throw new Error('a reset always changes the record');
    return change;
  }

  /**
   * A change broadcast by a replica: replays its event here. Returns the
   * change as it happened on this replica (its transition can differ from the
   * origin's when events crossed), or null when nothing changed here.
   */
  receive(change: ChannelHealthChange): ChannelHealthChange | null {
    if (change.origin === this.origin) return null;
    const id = change.event.id;
    if (id !== undefined && this.ownEventIds.delete(id)) return null;
    const channelId = change.event.channelId;
    if (!this.records.has(channelId) && change.health.version > 1) {
      this.records.set(channelId, structuredClone(change.health));
      return { ...change, origin: this.origin, health: structuredClone(change.health) };
    }
    return this.applyEvent(change.event);
  }

  /** Drops records of channels that no longer exist. */
  retainOnly(channelIds: ReadonlySet<number>): void {
    for (const id of this.records.keys()) if (!channelIds.has(id)) this.records.delete(id);
  }

  describe(channel: { id: number; status: ChannelStatus }, now: number = this.clock()): ChannelHealthView {
    const record = this.records.get(channel.id) ?? fresh(channel.id);
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      state: this.stateOf(channel.status, record, now),
      cooldownUntil: record.cooldownUntil !== null && record.cooldownUntil > now ? iso(record.cooldownUntil) : null,
      consecutiveFailures: record.consecutiveFailures,
      recentErrors: record.recentErrors.map((error) => ({ ...error, at: iso(error.at) })),
    };
  }

  private rememberOwn(id: string): void {
    this.ownEventIds.add(id);
    if (this.ownEventIds.size > OWN_EVENT_IDS_KEPT) {
      const oldest = this.ownEventIds.values().next();
      if (!oldest.done) this.ownEventIds.delete(oldest.value);
    }
  }

  private controlEvent(channelId: number, kind: 'probe' | 'reset'): ChannelHealthEvent {
    return { channelId, at: this.clock(), kind, status: 0, errorCode: null, retryAfterSeconds: null };
  }

  /** The state machine: one event, at its own time, on this replica's record. */
  private applyEvent(event: ChannelHealthEvent): ChannelHealthChange | null {
    const now = event.at;
    const before = this.records.get(event.channelId) ?? fresh(event.channelId);
    let next = structuredClone(before);
    let transition: ChannelHealthTransition;

    switch (event.kind) {
      case 'dead_key':
        this.addError(next, event);
        transition = 'auto_disabled';
        break;
      case 'rate_limited': {
        next.consecutiveRateLimits += 1;
        const retryAfter = event.retryAfterSeconds;
        const waitMs =
          retryAfter !== null && Number.isFinite(retryAfter) && retryAfter > 0
            ? retryAfter * 1000
            : this.backoffMs(next.consecutiveRateLimits);
        // Never shorten a cooldown another 429 already set.
        next.cooldownUntil = Math.max(next.cooldownUntil ?? 0, now + waitMs);
        this.addError(next, event);
        this.upstreamAnswered(next, now);
        transition = 'cooldown_started';
        break;
      }
      case 'failure':
        next.consecutiveFailures += 1;
        this.addError(next, event);
        transition = this.failed(next, now);
        break;
      case 'success':
        // A success says nothing about a cooldown the provider asked for: a request
        // sent before the 429 may still succeed after it. It does end the back-off streak.
        next.consecutiveRateLimits = 0;
        transition = this.upstreamAnswered(next, now);
        break;
      case 'client_error':
        transition = this.upstreamAnswered(next, now);
        break;
      case 'probe':
        if (this.circuitAt(next, now).kind !== 'probe') return null;
        next.circuit = 'half_open';
        next.probeUntil = now + this.settings.breakerOpenMs;
        transition = 'probe_started';
        break;
      case 'reset':
        next = { ...fresh(event.channelId), recentErrors: next.recentErrors };
        transition = 're_enabled';
        break;
    }

    if (event.kind !== 'reset' && !changed(before, next)) return null;
    next.version = before.version + 1;
    this.records.set(next.channelId, next);
    return { origin: this.origin, transition, event, health: structuredClone(next) };
  }

  private stateOf(status: ChannelStatus, record: ChannelHealthSnapshot, now: number): ChannelHealthView['state'] {
    if (status !== 'enabled') return status;
    const circuit = this.circuitAt(record, now);
    if (circuit.kind === 'blocked') return record.circuit === 'half_open' ? 'half_open' : 'circuit_open';
    if (circuit.kind === 'probe') return 'half_open';
    if (record.cooldownUntil !== null && now < record.cooldownUntil) return 'cooling_down';
    return 'healthy';
  }

  /** Whether the circuit lets a request through now: closed, one probe, or not at all. */
  private circuitAt(
    record: ChannelHealthSnapshot,
    now: number,
  ): { kind: 'closed' } | { kind: 'probe' } | { kind: 'blocked'; until: number } {
    if (record.circuit === 'closed') return { kind: 'closed' };
    if (record.circuit === 'open' && record.circuitOpenUntil !== null && now < record.circuitOpenUntil) {
      return { kind: 'blocked', until: record.circuitOpenUntil };
    }
    // Half-open: one probe at a time; a probe whose outcome never came back expires.
    if (record.circuit === 'half_open' && record.probeUntil !== null && now < record.probeUntil) {
      return { kind: 'blocked', until: record.probeUntil };
    }
    return { kind: 'probe' };
  }

  /** Whether the circuit is half-open at `now`: resting time over, probe handed out or not. */
  private isHalfOpen(record: ChannelHealthSnapshot, now: number): boolean {
    const circuit = this.circuitAt(record, now);
    return circuit.kind === 'probe' || (circuit.kind === 'blocked' && record.circuit === 'half_open');
  }

  private failed(next: ChannelHealthSnapshot, now: number): ChannelHealthTransition {
    const threshold = next.circuit === 'closed' && next.consecutiveFailures >= this.settings.breakerFailureThreshold;
    if (threshold || this.isHalfOpen(next, now)) {
      next.circuit = 'open';
      next.circuitOpenUntil = now + this.settings.breakerOpenMs;
      next.probeUntil = null;
      return 'circuit_opened';
    }
    return 'failure_counted';
  }

  /**
   * The upstream gave an HTTP answer that is not a failure: the failure streak
   * ends, and a half-open circuit closes (the probe got through). An open
   * circuit still resting ignores it: that request was sent before it opened.
   */
  private upstreamAnswered(next: ChannelHealthSnapshot, now: number): ChannelHealthTransition {
    next.consecutiveFailures = 0;
    if (next.circuit !== 'closed' && this.isHalfOpen(next, now)) {
      next.circuit = 'closed';
      next.circuitOpenUntil = null;
      next.probeUntil = null;
      return 'circuit_closed';
    }
    return 'counters_reset';
  }

  private backoffMs(consecutive: number): number {
    const exponent = Math.min(consecutive - 1, 30);
    return Math.min(this.settings.cooldownBaseMs * 2 ** exponent, this.settings.cooldownMaxMs);
  }

  private addError(next: ChannelHealthSnapshot, event: ChannelHealthEvent): void {
    next.recentErrors.push({ at: event.at, status: event.status, errorCode: event.errorCode });
    if (next.recentErrors.length > this.settings.recentErrorsKept) {
      next.recentErrors.splice(0, next.recentErrors.length - this.settings.recentErrorsKept);
    }
  }
}

function changed(before: ChannelHealthSnapshot, after: ChannelHealthSnapshot): boolean {
  return JSON.stringify({ ...before, version: 0 }) !== JSON.stringify({ ...after, version: 0 });
}
