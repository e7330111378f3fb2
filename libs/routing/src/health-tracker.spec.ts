import { beforeEach, describe, expect, it } from '@jest/globals';
import type { ChannelHealthChange, UpstreamOutcome } from '@tollgate/contracts';
import { ManualClock } from './testing.js';
import { providerFor } from '@tollgate/providers';
import { HealthTracker } from './health-tracker.js';
import { classifyOutcome } from './outcome-kind.js';

const SETTINGS = {
  cooldownBaseMs: 1000,
  cooldownMaxMs: 60_000,
  breakerFailureThreshold: 3,
  breakerOpenMs: 30_000,
  recentErrorsKept: 5,
};

const outcome = (status: number, extra: Partial<UpstreamOutcome> = {}): UpstreamOutcome => ({
  channelId: 1,
  model: 'gpt-4o',
  status,
  latencyMs: 10,
  retryAfterSeconds: null,
  errorCode: null,
  timedOut: false,
  ...extra,
});

describe(HealthTracker.name, () => {
  let clock: ManualClock;
  let sut: HealthTracker;
  /** Records an outcome the way HealthService does: classified with the OpenAI adapter's codes. */
  const report = (status: number, extra: Partial<UpstreamOutcome> = {}) => {
    const o = outcome(status, extra);
    return sut.record(o, classifyOutcome(o, providerFor('openai').deadKeyErrorCodes));
  };

  beforeEach(() => {
    clock = new ManualClock();
    sut = new HealthTracker(SETTINGS, clock.read);
  });

  it('treats a channel without history as available and does not record successes for it', () => {
    expect(sut.availability(1)).toEqual({ kind: 'available', probe: false });
    expect(report(200).change).toBeNull();
    expect(sut.describe({ id: 1, status: 'enabled' }).state).toBe('healthy');
  });

  describe('cooldown after provider 429', () => {
    it('cools down for Retry-After seconds, then recovers once that time has passed', () => {
      const { change } = report(429, { retryAfterSeconds: 7 });
      expect(change?.transition).toBe('cooldown_started');
      expect(sut.availability(1)).toEqual({ kind: 'cooling_down', until: clock.now + 7000 });
      expect(sut.describe({ id: 1, status: 'enabled' })).toMatchObject({
        state: 'cooling_down',
        cooldownUntil: new Date(clock.now + 7000).toISOString(),
      });

      clock.advance(6999);
      expect(sut.availability(1).kind).toBe('cooling_down');
      clock.advance(1);
      expect(sut.availability(1)).toEqual({ kind: 'available', probe: false });
      expect(sut.describe({ id: 1, status: 'enabled' })).toMatchObject({ state: 'healthy', cooldownUntil: null });
    });

    it('backs off exponentially from 1 s per consecutive 429 without Retry-After, up to the cap', () => {
      const waits: number[] = [];
      for (let i = 0; i < 9; i++) {
        report(429);
        const availability = sut.availability(1);
        if (availability.kind !== 'cooling_down') throw new Error('expected a cooldown');
        waits.push(availability.until - clock.now);
        clock.advance(availability.until - clock.now);
      }
      expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    });

    it('starts the back-off over after a success', () => {
      report(429);
      clock.advance(1000);
      report(429);
      clock.advance(2000);
      expect(report(200).change?.transition).toBe('counters_reset');
      report(429);
      expect(sut.availability(1)).toEqual({ kind: 'cooling_down', until: clock.now + 1000 });
    });

    it('never shortens a cooldown, and a success does not end one early', () => {
      report(429, { retryAfterSeconds: 30 });
      report(429, { retryAfterSeconds: 2 });
      report(200);
      expect(sut.availability(1)).toEqual({ kind: 'cooling_down', until: clock.now + 30_000 });
    });
  });

  describe('circuit breaker', () => {
    it('opens after the threshold of consecutive failures (5xx, timeouts, connection failures)', () => {
      expect(report(502).change?.transition).toBe('failure_counted');
      expect(report(0, { timedOut: true }).change?.transition).toBe('failure_counted');
      expect(sut.availability(1).kind).toBe('available');
      expect(report(0).change?.transition).toBe('circuit_opened');
      expect(sut.availability(1)).toEqual({ kind: 'circuit_open', until: clock.now + 30_000 });
      expect(sut.describe({ id: 1, status: 'enabled' })).toMatchObject({
        state: 'circuit_open',
        consecutiveFailures: 3,
      });
    });

    it('counts only consecutive failures: any non-failure answer ends the streak', () => {
      report(500);
      report(500);
      report(400);
      report(500);
      report(500);
      expect(sut.availability(1).kind).toBe('available');
      report(500);
      expect(sut.availability(1).kind).toBe('circuit_open');
    });

    it('goes half-open after the open time, lets one probe through, and closes when it succeeds', () => {
      for (let i = 0; i < 3; i++) report(503);
      clock.advance(30_000);
      expect(sut.availability(1)).toEqual({ kind: 'available', probe: true });
      expect(sut.describe({ id: 1, status: 'enabled' }).state).toBe('half_open');

      expect(sut.notePicked(1)?.transition).toBe('probe_started');
      // Only one probe: the next pick must not get the channel until the probe reports back.
      expect(sut.availability(1).kind).toBe('circuit_open');
      expect(sut.notePicked(1)).toBeNull();
      expect(sut.describe({ id: 1, status: 'enabled' }).state).toBe('half_open');

      expect(report(200).change?.transition).toBe('circuit_closed');
      expect(sut.availability(1)).toEqual({ kind: 'available', probe: false });
      expect(sut.describe({ id: 1, status: 'enabled' })).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    });

    it('re-opens when the probe fails', () => {
      for (let i = 0; i < 3; i++) report(503);
      clock.advance(30_000);
      sut.notePicked(1);
      expect(report(504).change?.transition).toBe('circuit_opened');
      expect(sut.availability(1)).toEqual({ kind: 'circuit_open', until: clock.now + 30_000 });
    });

    it('lets another probe through when the first one never reports back', () => {
      for (let i = 0; i < 3; i++) report(503);
      clock.advance(30_000);
      sut.notePicked(1);
      clock.advance(30_000);
      expect(sut.availability(1)).toEqual({ kind: 'available', probe: true });
    });

    it('ignores a late success while the circuit is still resting open', () => {
      for (let i = 0; i < 3; i++) report(503);
      report(200);
      expect(sut.availability(1).kind).toBe('circuit_open');
    });
  });

  describe('dead keys', () => {
    it.each([
      ['401', 401, null],
      ['403', 403, null],
      ['insufficient_quota (sent as 429)', 429, 'insufficient_quota'],
      ['invalid_api_key', 400, 'invalid_api_key'],
      ['account_deactivated', 401, 'account_deactivated'],
      ['billing_not_active', 429, 'billing_not_active'],
    ])('asks for auto-disable on %s', (_name, status, errorCode) => {
      const { change, autoDisableReason } = report(status, { errorCode });
      expect(change?.transition).toBe('auto_disabled');
      expect(autoDisableReason).toBe(`upstream answered ${status}${errorCode ? ` (${errorCode})` : ''}`);
      // A dead key is not a cooldown: nothing to wait for.
      expect(sut.availability(1).kind).toBe('available');
    });

    it('does not auto-disable on other 4xx', () => {
      expect(report(404, { errorCode: 'model_not_found' }).autoDisableReason).toBeNull();
      expect(report(400).autoDisableReason).toBeNull();
    });
  });

  it('keeps the most recent errors for the health view, oldest dropped', () => {
    for (let i = 0; i < 7; i++) {
      report(500 + i);
      clock.advance(1000);
    }
    const view = sut.describe({ id: 1, status: 'enabled' });
    expect(view.recentErrors.map((error) => error.status)).toEqual([502, 503, 504, 505, 506]);
    expect(view.recentErrors[0]?.at).toBe(new Date(clock.now - 5000).toISOString());
  });

  it('shows an admin or router disable before any health state', () => {
    report(429);
    expect(sut.describe({ id: 1, status: 'disabled' }).state).toBe('disabled');
    expect(sut.describe({ id: 1, status: 'auto_disabled' }).state).toBe('auto_disabled');
  });

  describe('replicas', () => {
    const replica = (origin: string) => new HealthTracker(SETTINGS, clock.read, origin);
    const failure = (o: HealthTracker) => o.record(outcome(502), 'failure').change;
    const deliver = (to: HealthTracker, changes: Array<ChannelHealthChange | null>) => {
      for (const change of changes) if (change) to.receive(change);
    };

    it('counts every failure when replicas handle them concurrently', () => {
      const a = replica('a');
      const b = replica('b');
      // Both replicas see failures before either hears of the other's: neither alone reaches 3.
      const fromA = [failure(a), failure(a)];
      const fromB = [failure(b)];
      expect(a.availability(1).kind).toBe('available');
      deliver(a, fromB);
      // B opens the circuit on A's second failure, which A itself had only counted.
      expect(b.receive(fromA[0] as ChannelHealthChange)?.transition).toBe('failure_counted');
      expect(b.receive(fromA[1] as ChannelHealthChange)?.transition).toBe('circuit_opened');
      for (const r of [a, b]) {
        expect(r.snapshot(1).consecutiveFailures).toBe(3);
        expect(r.availability(1)).toEqual({ kind: 'circuit_open', until: clock.now + 30_000 });
      }
    });

    it('ignores its own echo', () => {
      const a = replica('a');
      const change = failure(a);
      expect(change && a.receive(change)).toBeNull();
      expect(a.snapshot(1).consecutiveFailures).toBe(1);
    });

    it('replays an event at the time it happened, not at the time it arrives', () => {
      const a = replica('a');
      const change = a.record(outcome(429, { retryAfterSeconds: 10 }), 'rate_limited').change;
      clock.advance(3000);
      const b = replica('b');
      b.receive(change as ChannelHealthChange);
      expect(b.availability(1)).toEqual({ kind: 'cooling_down', until: clock.now + 7000 });
    });

    it('lets a replica that just started adopt the history it missed', () => {
      const a = replica('a');
      failure(a);
      const last = failure(a);
      const newcomer = replica('new');
      newcomer.receive(last as ChannelHealthChange);
      expect(newcomer.snapshot(1)).toEqual(a.snapshot(1));
    });

    it('shares the half-open probe, so a second replica does not send another', () => {
      const a = replica('a');
      const b = replica('b');
      deliver(b, [failure(a), failure(a), failure(a)]);
      clock.advance(30_000);
      expect(b.availability(1)).toEqual({ kind: 'available', probe: true });
      deliver(b, [a.notePicked(1)]);
      expect(b.availability(1).kind).toBe('circuit_open');
      deliver(b, [a.record(outcome(200), 'success').change]);
      expect(b.availability(1)).toEqual({ kind: 'available', probe: false });
    });

    it('resets a channel on every replica', () => {
      const a = replica('a');
      const b = replica('b');
      deliver(b, [failure(a), failure(a), failure(a)]);
      const change = a.reset(1);
      expect(change.transition).toBe('re_enabled');
      deliver(b, [change]);
      for (const r of [a, b]) expect(r.availability(1)).toEqual({ kind: 'available', probe: false });
      expect(b.snapshot(1).consecutiveFailures).toBe(0);
    });

    it('forgets channels that no longer exist', () => {
      report(500);
      sut.retainOnly(new Set([2]));
      expect(sut.snapshot(1).version).toBe(0);
    });
  });
});
