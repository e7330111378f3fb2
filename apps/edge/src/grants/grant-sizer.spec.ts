import { describe, expect, it } from '@jest/globals';
import { GrantSizer, RATE_TIME_CONSTANT_MS } from './grant-sizer.js';

const LIMITS = { horizonMs: 2_000, minRequests: 16, maxRequests: 4096 };

describe(GrantSizer.name, () => {
  it('starts with no rate, no admission and a unit of 1, and then asks for the minimum', () => {
    const sut = new GrantSizer();
    expect(sut.lastAdmissionAt).toBeNull();
    expect(sut.ratePerSecond(0)).toBe(0);
    expect(sut.unitMicros).toBe(1n);
    expect(sut.want({ now: 0, ...LIMITS })).toEqual({ wantRequests: 16, wantMicros: 16n, unitMicros: 1n });
  });

  it('converges to a steady rate, whatever the spacing', () => {
    for (const perSecond of [5, 100, 500]) {
      const sut = new GrantSizer();
      const gap = 1000 / perSecond;
      let now = 0;
      for (let i = 0; i < perSecond * 20; i++, now += gap) sut.record(now, 10n);
      // Read half a gap after an admission: the estimate's sawtooth is centred there.
      expect(sut.ratePerSecond(now - gap / 2)).toBeCloseTo(perSecond, -Math.log10(perSecond * 0.02));
    }
  });

  it('falls by e in every time constant once demand stops', () => {
    const sut = new GrantSizer();
    for (let t = 0; t < 20_000; t += 10) sut.record(t, 1n);
    const at = sut.lastAdmissionAt!;
    const before = sut.ratePerSecond(at);
    expect(sut.ratePerSecond(at + RATE_TIME_CONSTANT_MS) / before).toBeCloseTo(Math.exp(-1), 6);
    expect(sut.ratePerSecond(at + 10 * RATE_TIME_CONSTANT_MS)).toBeLessThan(0.01);
  });

  it('takes the first amount as the unit, then averages the amounts that follow', () => {
    const sut = new GrantSizer();
    sut.record(0, 800n);
    expect(sut.unitMicros).toBe(800n);
    sut.record(1, 0n);
    expect(sut.unitMicros).toBe(700n); // 800 + (0 − 800) / 8
    for (let i = 0; i < 200; i++) sut.record(2 + i, 40n);
    expect(sut.unitMicros).toBe(40n);
  });

  it('never sizes a request below 1 micro-unit', () => {
    const sut = new GrantSizer();
    sut.record(0, 0n);
    expect(sut.unitMicros).toBe(1n);
  });

  it('asks for one horizon of the rate, within the clamp, each request at the unit', () => {
    const sut = new GrantSizer();
    for (let t = 0; t < 20_000; t += 2) sut.record(t, 250n); // 500/s
    const now = sut.lastAdmissionAt! + 1;
    const want = sut.want({ now, ...LIMITS });
    expect(want.wantRequests).toBeGreaterThan(990);
    expect(want.wantRequests).toBeLessThan(1010);
    expect(want).toMatchObject({ unitMicros: 250n, wantMicros: BigInt(want.wantRequests) * 250n });
    expect(sut.want({ now, ...LIMITS, maxRequests: 64 }).wantRequests).toBe(64);
    expect(sut.want({ now: now + 60_000, ...LIMITS }).wantRequests).toBe(16);
  });

  it('does not decay, nor fail, when the clock is read out of order', () => {
    const sut = new GrantSizer();
    sut.record(1000, 5n);
    sut.record(999, 5n);
    expect(sut.ratePerSecond(998)).toBeCloseTo((2 * 1000) / RATE_TIME_CONSTANT_MS, 9);
  });
});
