import { beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@tollgate/routing/testing';
import { GrantBook, type GrantedSlice, type LiveSlice, type Taken } from './grant-book.js';

const IDLE_MS = 5_000;
const KEY = 'key-1';
const USER = 'user-1';
const MODEL = 'gpt-4o';

let grants = 0;
const granted = (fields: Partial<GrantedSlice<string>> = {}): GrantedSlice<string> => ({
  grantId: `grant-${++grants}`,
  userId: USER,
  keyId: KEY,
  model: MODEL,
  moneyMicros: 1_000n,
  requests: 10,
  quote: 'quote',
  keyLimit: 100,
  keyCountBefore: 40,
  validForMs: 10_000,
  windowEndsInMs: 30_000,
  ...fields,
});

describe(GrantBook.name, () => {
  let clock: ManualClock;
  let sut: GrantBook<string>;

  /** Installs a grant as an acquire sent `sentAgo` ms ago would. */
  const install = (fields: Partial<GrantedSlice<string>> = {}, sentAgo = 0): GrantedSlice<string> => {
    const grant = granted(fields);
    sut.beginAcquire(grant.keyId, grant.model);
    sut.endAcquire(grant.keyId, grant.model, grant, clock.now - sentAgo);
    return grant;
  };
  const live = (keyId = KEY, model = MODEL): LiveSlice<string> => {
    const slice = sut.slice(keyId, model);
    if (!slice) throw new Error(`no live slice for ${keyId}/${model}`);
    return slice;
  };

  beforeEach(() => {
    clock = new ManualClock();
    sut = new GrantBook({ clock: clock.read, idleMs: IDLE_MS, horizonMs: 2_000, minRequests: 16 });
  });

  it('refuses options that cannot work', () => {
    const base = { clock: clock.read, idleMs: 1, horizonMs: 1, minRequests: 1 };
    expect(() => new GrantBook({ ...base, idleMs: 0 })).toThrow(RangeError);
    expect(() => new GrantBook({ ...base, horizonMs: -1 })).toThrow(RangeError);
    expect(() => new GrantBook({ ...base, minRequests: 0 })).toThrow(RangeError);
    expect(() => new GrantBook({ ...base, minRequests: 8, maxRequests: 4 })).toThrow(RangeError);
  });

  describe('slice', () => {
    it('is null without a grant, and the grant once installed', () => {
      expect(sut.slice(KEY, MODEL)).toBeNull();
      const grant = install({ quote: 'prices at grant time' });
      expect(live()).toMatchObject({ grantId: grant.grantId, userId: USER, quote: 'prices at grant time' });
      expect(sut.slice(KEY, 'other-model')).toBeNull();
      expect(sut.slice('key-2', MODEL)).toBeNull();
    });

    it('is null at its deadline, counted from when the acquire was sent', () => {
      install({ validForMs: 10_000 }, 3_000);
      clock.advance(6_999);
      expect(sut.slice(KEY, MODEL)).not.toBeNull();
      clock.advance(1);
      expect(sut.slice(KEY, MODEL)).toBeNull();
    });
  });

  describe('take', () => {
    it('takes money and one request, and both are counted', () => {
      install({ moneyMicros: 100n, requests: 3 });
      const taken = sut.take(live(), 60n);
      expect(taken).toEqual({ grantId: expect.any(String), amountMicros: 60n });
      expect(sut.take(live(), 40n)).not.toBeNull(); // exactly what is left
      expect(sut.take(live(), 0n)).not.toBeNull(); // the third and last request, free
      expect(sut.take(live(), 0n)).toBeNull();
    });

    it('takes nothing when the money does not cover, though requests are left', () => {
      const grant = install({ moneyMicros: 100n, requests: 10 });
      const first = sut.take(live(), 70n)!;
      expect(sut.take(live(), 31n)).toBeNull();
      sut.appendSettled(first);
      sut.close({ grantIds: [grant.grantId] }, 'reclaimed');
      expect(sut.drainReturns()).toEqual([expect.objectContaining({ admittedMicros: 70n, admissions: 1 })]);
    });

    it('takes nothing when the requests do not cover, though money is left', () => {
      install({ moneyMicros: 1_000n, requests: 2 });
      sut.take(live(), 1n);
      sut.take(live(), 1n);
      expect(sut.take(live(), 1n)).toBeNull();
      sut.closeAll('shutdown');
      expect(sut.drainReturns()).toEqual([]); // both appends in flight
    });

    it('takes nothing after the slice is closed, also through a handle kept from before', () => {
      const grant = install();
      const slice = live();
      expect(sut.close({ keyIds: [KEY] }, 'invalidated')).toBe(1);
      expect(sut.take(slice, 1n)).toBeNull();
      expect(sut.slice(KEY, MODEL)).toBeNull();
      expect(sut.drainReturns()).toEqual([
        {
          grantId: grant.grantId,
          userId: USER,
          keyId: KEY,
          model: MODEL,
          admittedMicros: 0n,
          admissions: 0,
          reason: 'invalidated',
        },
      ]);
      expect(sut.take(slice, 1n)).toBeNull(); // returned: forgotten
    });

    it('takes nothing at or after the deadline', () => {
      install({ validForMs: 1_000 });
      const slice = live();
      clock.advance(999);
      expect(sut.take(slice, 1n)).not.toBeNull();
      clock.advance(1);
      expect(sut.take(slice, 1n)).toBeNull();
    });

    it('takes nothing at or after the end of the rate window, even before the deadline', () => {
      install({ validForMs: 10_000, windowEndsInMs: 4_000 }, 1_000);
      const slice = live();
      clock.advance(2_999);
      expect(sut.take(slice, 1n)).not.toBeNull();
      clock.advance(1);
      expect(sut.take(slice, 1n)).toBeNull();
      expect(sut.slice(KEY, MODEL)).toBeNull();
    });

    it('never counts a deadline from a send time later than now', () => {
      const grant = granted({ validForMs: 1_000 });
      sut.beginAcquire(KEY, MODEL);
      sut.endAcquire(KEY, MODEL, grant, clock.now + 60_000);
      clock.advance(1_000);
      expect(sut.slice(KEY, MODEL)).toBeNull();
    });

    it('takes nothing from an object that is not one of its slices', () => {
      const grant = install();
      const forged: LiveSlice<string> = { grantId: grant.grantId, userId: USER, keyId: KEY, model: MODEL, quote: 'q' };
      expect(sut.take(forged, 1n)).toBeNull();
    });

    it('refuses a negative amount', () => {
      install();
      expect(() => sut.take(live(), -1n)).toThrow(RangeError);
    });
  });

  describe('untake and appendSettled', () => {
    it('gives the money and the request back, once', () => {
      install({ moneyMicros: 100n, requests: 1 });
      const taken = sut.take(live(), 100n)!;
      expect(sut.take(live(), 0n)).toBeNull();
      sut.untake(taken);
      sut.untake(taken);
      const again = sut.take(live(), 100n);
      expect(again).not.toBeNull();
      expect(sut.take(live(), 0n)).toBeNull(); // the second untake gave nothing more
    });

    it('gives nothing back for a take whose append settled', () => {
      const grant = install({ moneyMicros: 100n, requests: 5 });
      const taken = sut.take(live(), 30n)!;
      sut.appendSettled(taken);
      sut.untake(taken);
      sut.close({ grantIds: [grant.grantId] }, 'reclaimed');
      expect(sut.drainReturns()).toEqual([expect.objectContaining({ admittedMicros: 30n, admissions: 1 })]);
    });

    it('lets a closed slice report less once an append failed for certain', () => {
      install({ moneyMicros: 100n });
      const kept = sut.take(live(), 30n)!;
      const refused = sut.take(live(), 50n)!;
      sut.closeAll('shutdown');
      sut.appendSettled(kept);
      expect(sut.drainReturns()).toEqual([]);
      sut.untake(refused);
      expect(sut.drainReturns()).toEqual([
        expect.objectContaining({ admittedMicros: 30n, admissions: 1, reason: 'shutdown' }),
      ]);
    });

    it('ignores takes of grants it no longer holds', () => {
      const stranger: Taken = { grantId: 'unknown', amountMicros: 5n };
      expect(() => {
        sut.untake(stranger);
        sut.appendSettled(stranger);
      }).not.toThrow();
    });
  });

  describe('endAcquire and replacement', () => {
    it('replaces the previous slice, and returns it only after its appends settle', () => {
      const old = install({ moneyMicros: 100n });
      const first = sut.take(live(), 10n)!;
      const second = sut.take(live(), 20n)!;
      const renewal = install({ moneyMicros: 500n });
      expect(live().grantId).toBe(renewal.grantId);
      expect(sut.size).toEqual({ live: 1, closing: 1 });
      expect(sut.drainReturns()).toEqual([]);
      sut.appendSettled(first);
      expect(sut.drainReturns()).toEqual([]);
      sut.appendSettled(second);
      expect(sut.drainReturns()).toEqual([
        {
          grantId: old.grantId,
          userId: USER,
          keyId: KEY,
          model: MODEL,
          admittedMicros: 30n,
          admissions: 2,
          reason: 'replaced',
        },
      ]);
      expect(sut.drainReturns()).toEqual([]);
      expect(sut.size).toEqual({ live: 1, closing: 0 });
    });

    it('installs nothing for an empty answer, and keeps the slice it has', () => {
      const grant = install();
      sut.beginAcquire(KEY, MODEL);
      sut.endAcquire(KEY, MODEL, null, clock.now);
      expect(live().grantId).toBe(grant.grantId);
    });

    it('installs a reply seen twice once', () => {
      const grant = install();
      sut.endAcquire(KEY, MODEL, grant, clock.now);
      expect(sut.size).toEqual({ live: 1, closing: 0 });
    });

    it('refuses a grant for another pair', () => {
      sut.beginAcquire(KEY, MODEL);
      expect(() => sut.endAcquire(KEY, 'other-model', granted(), clock.now)).toThrow(/answered an acquire/);
    });

    it('installs closed a grant a close matched while its acquire was in flight, and keeps the previous slice', () => {
      const previous = install({ userId: USER });
      const next = granted();
      sut.beginAcquire(KEY, MODEL);
      expect(sut.close({ grantIds: [next.grantId] }, 'reclaimed')).toBe(0); // billing reclaimed it before its reply came
      sut.endAcquire(KEY, MODEL, next, clock.now);
      expect(live().grantId).toBe(previous.grantId);
      expect(sut.drainReturns()).toEqual([
        expect.objectContaining({ grantId: next.grantId, admittedMicros: 0n, reason: 'reclaimed' }),
      ]);
    });

    it('installs closed a grant whose quote a price change made stale while it was on its way', () => {
      const next = granted();
      sut.beginAcquire(KEY, MODEL);
      sut.close({ models: [MODEL] }, 'invalidated');
      sut.endAcquire(KEY, MODEL, next, clock.now);
      expect(sut.slice(KEY, MODEL)).toBeNull();
      expect(sut.drainReturns()).toEqual([expect.objectContaining({ grantId: next.grantId, reason: 'invalidated' })]);
    });

    it('installs closed a grant that arrives after closeAll, and forgets the closes once the acquire ended', () => {
      sut.beginAcquire(KEY, MODEL);
      sut.closeAll('shutdown');
      sut.endAcquire(KEY, MODEL, granted(), clock.now);
      expect(sut.size).toEqual({ live: 0, closing: 1 });
      install();
      expect(sut.slice(KEY, MODEL)).not.toBeNull();
    });

    it('is not affected by a close of something else while its acquire was in flight', () => {
      sut.beginAcquire(KEY, MODEL);
      sut.close({ keyIds: ['key-2'], userIds: ['user-2'], models: ['other-model'] }, 'invalidated');
      sut.endAcquire(KEY, MODEL, granted(), clock.now);
      expect(sut.slice(KEY, MODEL)).not.toBeNull();
    });
  });

  describe('rateLimit', () => {
    it('counts the key window down from its count before the grant, to the window end', () => {
      install({ keyLimit: 100, keyCountBefore: 40, windowEndsInMs: 30_000 }, 500);
      const first = sut.take(live(), 1n)!;
      expect(sut.rateLimit(first)).toEqual({ limit: 100, remaining: 59, resetSeconds: 30 });
      clock.advance(1_000);
      const second = sut.take(live(), 1n)!;
      expect(sut.rateLimit(second)).toEqual({ limit: 100, remaining: 58, resetSeconds: 29 }); // 28.5 s, rounded up
      sut.appendSettled(first);
      expect(sut.rateLimit(first).remaining).toBe(59); // a take's own figure, also after it settled
    });

    it('never says less than 0 remaining or 1 second to the reset', () => {
      install({ keyLimit: 10, keyCountBefore: 10, windowEndsInMs: 1_000, validForMs: 1_000 });
      clock.advance(999);
      const taken = sut.take(live(), 1n)!;
      clock.advance(5_000);
      expect(sut.rateLimit(taken)).toEqual({ limit: 10, remaining: 0, resetSeconds: 1 });
    });

    it('refuses a take it never made', () => {
      expect(() => sut.rateLimit({ grantId: 'g', amountMicros: 1n })).toThrow(/not a take/);
    });
  });

  describe('beginAcquire', () => {
    it('lets one acquire per pair be in flight', () => {
      expect(sut.beginAcquire(KEY, MODEL)).toBe(true);
      expect(sut.beginAcquire(KEY, MODEL)).toBe(false);
      expect(sut.beginAcquire(KEY, 'other-model')).toBe(true);
      sut.endAcquire(KEY, MODEL, null, clock.now);
      expect(sut.beginAcquire(KEY, MODEL)).toBe(true);
    });
  });

  describe('noteDemand', () => {
    it('asks for a grant at the second admission within idleMs, not at the first', () => {
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      clock.advance(IDLE_MS);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(true);
    });

    it('does not ask when the admissions are further apart than idleMs', () => {
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      clock.advance(IDLE_MS + 1);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      clock.advance(1);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(true);
    });

    it('does not ask while an acquire is in flight', () => {
      sut.noteDemand(KEY, MODEL, USER, 10n);
      sut.beginAcquire(KEY, MODEL);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      sut.endAcquire(KEY, MODEL, null, clock.now);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(true);
    });

    it('does not ask while a live slice covers the amount, and asks when it does not', () => {
      install({ moneyMicros: 100n, requests: 10 });
      sut.noteDemand(KEY, MODEL, USER, 10n);
      expect(sut.noteDemand(KEY, MODEL, USER, 100n)).toBe(false);
      expect(sut.noteDemand(KEY, MODEL, USER, 101n)).toBe(true); // an image-sized request the slice cannot cover
    });

    it('counts takes from a slice as admissions', () => {
      install({ moneyMicros: 10n });
      sut.take(live(), 10n);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(true);
    });
  });

  describe('declined', () => {
    it('holds acquires of that pair back for retryAfterMs', () => {
      sut.noteDemand(KEY, MODEL, USER, 10n);
      sut.declined(KEY, MODEL, 1_000);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      expect(sut.noteDemand('key-2', MODEL, USER, 10n)).toBe(false);
      expect(sut.noteDemand('key-2', MODEL, USER, 10n)).toBe(true);
      clock.advance(999);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      clock.advance(1);
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(true);
    });

    it('holds renewals back too', () => {
      install({ requests: 2 });
      sut.take(live(), 1n);
      sut.take(live(), 1n);
      sut.declined(KEY, MODEL, 1_000);
      expect(sut.tick()).toEqual([]);
      clock.advance(1_000);
      expect(sut.tick()).toEqual([{ keyId: KEY, model: MODEL, userId: USER }]);
    });
  });

  describe('want', () => {
    it('asks for the minimum, at 1 micro-unit a request, for a pair it knows nothing of', () => {
      expect(sut.want(KEY, MODEL)).toEqual({ wantRequests: 16, wantMicros: 16n, unitMicros: 1n });
    });

    it('asks for one horizon of the demand seen, each request at the usual amount', () => {
      for (let i = 0; i < 20_000; i++) {
        sut.noteDemand(KEY, MODEL, USER, 300n);
        clock.advance(2); // 500/s
      }
      const want = sut.want(KEY, MODEL);
      expect(want.wantRequests).toBeGreaterThan(980);
      expect(want.wantRequests).toBeLessThan(1020);
      expect(want.unitMicros).toBe(300n);
      expect(want.wantMicros).toBe(BigInt(want.wantRequests) * 300n);
    });

    it('asks for at most maxRequests', () => {
      sut = new GrantBook({ clock: clock.read, idleMs: IDLE_MS, horizonMs: 2_000, minRequests: 16, maxRequests: 100 });
      for (let i = 0; i < 5_000; i++) {
        sut.noteDemand(KEY, MODEL, USER, 1n);
        clock.advance(1);
      }
      expect(sut.want(KEY, MODEL).wantRequests).toBe(100);
    });
  });

  describe('close and closeAll', () => {
    it('closes the slices named in any list given, and counts them', () => {
      install({ keyId: 'k1', userId: 'u1', model: 'm1' });
      install({ keyId: 'k2', userId: 'u1', model: 'm2' });
      install({ keyId: 'k3', userId: 'u2', model: 'm1' });
      const last = install({ keyId: 'k4', userId: 'u3', model: 'm3' });
      expect(sut.close({}, 'reclaimed')).toBe(0);
      expect(sut.close({ userIds: ['u1'], models: ['m1'] }, 'invalidated')).toBe(3);
      expect(sut.close({ userIds: ['u1'] }, 'invalidated')).toBe(0); // already closed
      expect(sut.size).toEqual({ live: 1, closing: 3 });
      expect(sut.close({ grantIds: [last.grantId] }, 'reclaimed')).toBe(1);
      expect(sut.drainReturns().map((r) => [r.keyId, r.reason])).toEqual([
        ['k1', 'invalidated'],
        ['k2', 'invalidated'],
        ['k3', 'invalidated'],
        ['k4', 'reclaimed'],
      ]);
    });

    it('closeAll closes every slice', () => {
      install({ keyId: 'k1' });
      install({ keyId: 'k2' });
      sut.closeAll('shutdown');
      expect(sut.size).toEqual({ live: 0, closing: 2 });
      expect(sut.drainReturns().map((r) => r.reason)).toEqual(['shutdown', 'shutdown']);
    });
  });

  describe('tick', () => {
    it('closes a slice with no take for idleMs as idle', () => {
      install({ validForMs: 60_000, windowEndsInMs: 60_000 });
      clock.advance(IDLE_MS - 1);
      sut.take(live(), 1n);
      clock.advance(IDLE_MS - 1);
      sut.tick();
      expect(sut.slice(KEY, MODEL)).not.toBeNull();
      clock.advance(1);
      sut.tick();
      expect(sut.slice(KEY, MODEL)).toBeNull();
      expect(sut.drainReturns()).toEqual([]); // its one append is in flight
    });

    it('closes a dead slice as expired', () => {
      install({ validForMs: 1_000 });
      clock.advance(1_000);
      expect(sut.tick()).toEqual([]);
      expect(sut.drainReturns()).toEqual([expect.objectContaining({ reason: 'expired', admissions: 0 })]);
    });

    it('asks for a renewal under half the validity left', () => {
      install({ validForMs: 4_000, windowEndsInMs: 30_000 });
      sut.take(live(), 1n);
      clock.advance(2_000);
      expect(sut.tick()).toEqual([]);
      clock.advance(1);
      expect(sut.tick()).toEqual([{ keyId: KEY, model: MODEL, userId: USER }]);
    });

    it('renews no slice nobody takes from: it goes back idle', () => {
      install({ validForMs: 4_000, windowEndsInMs: 30_000 });
      clock.advance(2_001);
      expect(sut.tick()).toEqual([]);
      sut.take(live(), 1n);
      expect(sut.tick()).toEqual([{ keyId: KEY, model: MODEL, userId: USER }]);
      clock.advance(IDLE_MS / 2);
      expect(sut.tick()).toEqual([]);
    });

    it('asks for a renewal under half the money left', () => {
      install({ moneyMicros: 100n, requests: 100 });
      sut.take(live(), 50n);
      expect(sut.tick()).toEqual([]);
      sut.take(live(), 1n);
      expect(sut.tick()).toEqual([{ keyId: KEY, model: MODEL, userId: USER }]);
    });

    it('asks for a renewal under half the requests left, and not while an acquire is in flight', () => {
      install({ moneyMicros: 1_000n, requests: 4 });
      sut.take(live(), 1n);
      sut.take(live(), 1n);
      expect(sut.tick()).toEqual([]);
      sut.take(live(), 1n);
      expect(sut.beginAcquire(KEY, MODEL)).toBe(true);
      expect(sut.tick()).toEqual([]);
      sut.endAcquire(KEY, MODEL, null, clock.now);
      expect(sut.tick()).toEqual([{ keyId: KEY, model: MODEL, userId: USER }]);
    });

    it('forgets a quiet pair: its next admission alone asks for nothing', () => {
      sut.noteDemand(KEY, MODEL, USER, 10n);
      clock.advance(IDLE_MS + 1);
      sut.tick();
      expect(sut.noteDemand(KEY, MODEL, USER, 10n)).toBe(false);
      expect(sut.want(KEY, MODEL).unitMicros).toBe(10n);
    });
  });
});
