import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ManualClock } from '@tollgate/routing/testing';
import {
  GrantBook,
  type GrantReturn,
  type LiveSlice,
  type ReturnReason,
  type SliceMatch,
  type Taken,
} from './grant-book.js';

const IDLE_MS = 1_000;
/** Three keys of two users, two models: six pairs. */
const KEYS = [
  { keyId: 'k1', userId: 'u1' },
  { keyId: 'k2', userId: 'u1' },
  { keyId: 'k3', userId: 'u2' },
] as const;
const MODELS = ['m1', 'm2'] as const;
const PAIRS = KEYS.flatMap((key) => MODELS.map((model) => ({ ...key, model })));
const CLOSE_REASONS: ReturnReason[] = ['reclaimed', 'invalidated', 'shutdown'];

type Op =
  | { op: 'advance'; ms: number }
  | { op: 'begin'; pair: number }
  | {
      op: 'reply';
      pair: number;
      grant: { money: number; requests: number; validForMs: number; windowEndsInMs: number; sentAgo: number } | null;
    }
  | { op: 'take'; pair: number; amount: number; stale: number | null }
  | { op: 'untake'; index: number }
  | { op: 'settle'; index: number }
  | { op: 'close'; field: keyof SliceMatch; pick: number; reason: ReturnReason }
  | { op: 'closeAll'; reason: ReturnReason }
  | { op: 'tick' }
  | { op: 'drain' }
  | { op: 'demand'; pair: number; amount: number }
  | { op: 'declined'; pair: number; ms: number };

/** Most operations on two pairs, so that takes meet slices; the rest anywhere. */
const pairIndex = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: PAIRS.length - 1 }) },
);
/** Milliseconds, often on the maintenance's 250 ms grid: deadlines, idleness and halves are then met exactly. */
const millis = (max: number) =>
  fc.oneof(
    fc.integer({ min: 0, max }),
    fc.integer({ min: 0, max: Math.floor(max / 250) }).map((n) => n * 250),
  );
const operation: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: millis(800) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('begin' as const), pair: pairIndex }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('reply' as const),
      pair: pairIndex,
      grant: fc.option(
        fc.record({
          money: fc.integer({ min: 0, max: 400 }),
          requests: fc.integer({ min: 0, max: 8 }),
          validForMs: millis(5_000).map((ms) => Math.max(1, ms)),
          windowEndsInMs: millis(8_000).map((ms) => Math.max(1, ms)),
          sentAgo: millis(500),
        }),
        { freq: 5 },
      ),
    }),
  },
  {
    weight: 16,
    arbitrary: fc.record({
      op: fc.constant('take' as const),
      pair: pairIndex,
      amount: fc.integer({ min: 0, max: 80 }),
      stale: fc.option(fc.nat(), { freq: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('untake' as const), index: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('settle' as const), index: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('close' as const),
      field: fc.constantFrom<keyof SliceMatch>('grantIds', 'userIds', 'keyIds', 'models'),
      pick: fc.nat(),
      reason: fc.constantFrom(...CLOSE_REASONS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('closeAll' as const), reason: fc.constantFrom(...CLOSE_REASONS) }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('tick' as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('drain' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('demand' as const),
      pair: pairIndex,
      amount: fc.integer({ min: 0, max: 80 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('declined' as const), pair: pairIndex, ms: millis(2_000) }),
  },
);

/** The test's own account of one grant, from what the book answered. */
interface ModelGrant {
  grantId: string;
  pair: number;
  money: bigint;
  requests: number;
  validForMs: number;
  deadline: number;
  windowEnd: number;
  lastTake: number;
  admittedMicros: bigint;
  admissions: number;
  inFlight: Set<Taken>;
  closedFor: ReturnReason | null;
  returned: boolean;
}

const matchOf = (field: keyof SliceMatch, pick: number, nextGrant: number, grantIds: string[]): SliceMatch => {
  switch (field) {
    case 'grantIds': {
      // Known grants, and the next two to be issued (a reclaim that beats its acquire's reply).
      const ids = [...grantIds, `g${nextGrant}`, `g${nextGrant + 1}`];
      return { grantIds: [ids[pick % ids.length]] };
    }
    case 'userIds':
      return { userIds: [['u1', 'u2'][pick % 2]] };
    case 'keyIds':
      return { keyIds: [KEYS[pick % KEYS.length].keyId] };
    case 'models':
      return { models: [MODELS[pick % MODELS.length]] };
  }
};

const matches = (grant: ModelGrant, match: SliceMatch | null): boolean => {
  const pair = PAIRS[grant.pair];
  return (
    match === null ||
    (match.grantIds?.includes(grant.grantId) ?? false) ||
    (match.userIds?.includes(pair.userId) ?? false) ||
    (match.keyIds?.includes(pair.keyId) ?? false) ||
    (match.models?.includes(pair.model) ?? false)
  );
};

function run(ops: Op[]): void {
  const clock = new ManualClock(0);
  const sut = new GrantBook<string>({ clock: clock.read, idleMs: IDLE_MS, horizonMs: 2_000, minRequests: 4 });
  const grants = new Map<string, ModelGrant>();
  const open: (ModelGrant | null)[] = PAIRS.map(() => null);
  const acquiring: ({ match: SliceMatch | null; reason: ReturnReason }[] | null)[] = PAIRS.map(() => null);
  const declinedUntil = PAIRS.map(() => 0);
  const lastAdmission: (number | null)[] = PAIRS.map(() => null);
  const handles: LiveSlice<string>[] = [];
  const takes: { taken: Taken; grant: ModelGrant; settled: boolean }[] = [];
  let nextGrant = 1;

  const alive = (grant: ModelGrant) => clock.now < grant.deadline && clock.now < grant.windowEnd;
  const covers = (grant: ModelGrant, amount: bigint) =>
    grant.admissions + 1 <= grant.requests && grant.admittedMicros + amount <= grant.money;
  const closeModel = (grant: ModelGrant, reason: ReturnReason) => {
    if (grant.closedFor !== null) return;
    grant.closedFor = reason;
    if (open[grant.pair] === grant) open[grant.pair] = null;
  };

  for (const step of ops) {
    switch (step.op) {
      case 'advance':
        clock.advance(step.ms);
        break;
      case 'begin': {
        const { keyId, model } = PAIRS[step.pair];
        expect(sut.beginAcquire(keyId, model)).toBe(acquiring[step.pair] === null);
        if (acquiring[step.pair] === null) acquiring[step.pair] = [];
        break;
      }
      case 'reply': {
        const { keyId, userId, model } = PAIRS[step.pair];
        const missed = acquiring[step.pair] ?? [];
        acquiring[step.pair] = null;
        if (step.grant === null) {
          sut.endAcquire(keyId, model, null, clock.now);
          break;
        }
        const { money, requests, validForMs, windowEndsInMs, sentAgo } = step.grant;
        const grantId = `g${nextGrant++}`;
        sut.endAcquire(
          keyId,
          model,
          {
            grantId,
            userId,
            keyId,
            model,
            moneyMicros: BigInt(money),
            requests,
            quote: grantId,
            keyLimit: 10,
            keyCountBefore: 0,
            validForMs,
            windowEndsInMs,
          },
          clock.now - sentAgo,
        );
        const grant: ModelGrant = {
          grantId,
          pair: step.pair,
          money: BigInt(money),
          requests,
          validForMs,
          deadline: clock.now - sentAgo + validForMs,
          windowEnd: clock.now - sentAgo + windowEndsInMs,
          lastTake: clock.now,
          admittedMicros: 0n,
          admissions: 0,
          inFlight: new Set(),
          closedFor: null,
          returned: false,
        };
        grants.set(grantId, grant);
        const close = missed.find((c) => matches(grant, c.match));
        if (close) {
          grant.closedFor = close.reason;
        } else {
          const previous = open[step.pair];
          if (previous) closeModel(previous, 'replaced');
          open[step.pair] = grant;
        }
        break;
      }
      case 'take': {
        const { keyId, model } = PAIRS[step.pair];
        const current = sut.slice(keyId, model);
        const expected = open[step.pair];
        expect(current?.grantId ?? null).toBe(expected && alive(expected) ? expected.grantId : null);
        if (current) handles.push(current);
        const handle = step.stale !== null && handles.length > 0 ? handles[step.stale % handles.length] : current;
        if (!handle) break;
        const grant = grants.get(handle.grantId)!;
        const amount = BigInt(step.amount);
        const mayTake = grant.closedFor === null && !grant.returned && alive(grant) && covers(grant, amount);
        const taken = sut.take(handle, amount);
        // No take succeeds on a closed or dead slice, and none is refused that the slice covers.
        expect(taken !== null).toBe(mayTake);
        if (!taken) break;
        expect(taken).toEqual({ grantId: grant.grantId, amountMicros: amount });
        grant.admittedMicros += amount;
        grant.admissions += 1;
        grant.lastTake = clock.now;
        grant.inFlight.add(taken);
        lastAdmission[grant.pair] = clock.now;
        takes.push({ taken, grant, settled: false });
        break;
      }
      case 'untake':
      case 'settle': {
        if (takes.length === 0) break;
        const entry = takes[step.index % takes.length];
        if (step.op === 'untake') sut.untake(entry.taken);
        else sut.appendSettled(entry.taken);
        if (entry.settled) break; // a second call changes nothing
        entry.settled = true;
        entry.grant.inFlight.delete(entry.taken);
        if (step.op === 'untake') {
          entry.grant.admittedMicros -= entry.taken.amountMicros;
          entry.grant.admissions -= 1;
        }
        break;
      }
      case 'close': {
        const match = matchOf(step.field, step.pick, nextGrant, [...grants.keys()]);
        const closing = open.filter((g): g is ModelGrant => g !== null && matches(g, match));
        expect(sut.close(match, step.reason)).toBe(closing.length);
        for (const grant of closing) closeModel(grant, step.reason);
        for (const list of acquiring) list?.push({ match, reason: step.reason });
        break;
      }
      case 'closeAll':
        sut.closeAll(step.reason);
        for (const grant of open) if (grant) closeModel(grant, step.reason);
        for (const list of acquiring) list?.push({ match: null, reason: step.reason });
        break;
      case 'tick': {
        const due = sut.tick();
        const expected: string[] = [];
        for (const grant of open) {
          if (!grant) continue;
          if (!alive(grant)) closeModel(grant, 'expired');
          else if (clock.now - grant.lastTake >= IDLE_MS) closeModel(grant, 'idle');
          else if (
            acquiring[grant.pair] === null &&
            clock.now >= declinedUntil[grant.pair] &&
            grant.admissions > 0 &&
            clock.now - grant.lastTake < IDLE_MS / 2
          ) {
            const left = Math.min(grant.deadline, grant.windowEnd) - clock.now;
            if (
              left * 2 < grant.validForMs ||
              (grant.money - grant.admittedMicros) * 2n < grant.money ||
              (grant.requests - grant.admissions) * 2 < grant.requests
            ) {
              expected.push(PAIRS[grant.pair].keyId + '/' + PAIRS[grant.pair].model);
            }
          }
        }
        expect(due.map((d) => `${d.keyId}/${d.model}`).sort()).toEqual(expected.sort());
        for (const d of due) expect(d.userId).toBe(PAIRS.find((p) => p.keyId === d.keyId)!.userId);
        break;
      }
      case 'drain': {
        const returned = sut.drainReturns();
        const expected: GrantReturn[] = [];
        for (const grant of grants.values()) {
          if (grant.returned || grant.closedFor === null || grant.inFlight.size > 0) continue;
          const { keyId, userId, model } = PAIRS[grant.pair];
          expected.push({
            grantId: grant.grantId,
            userId,
            keyId,
            model,
            admittedMicros: grant.admittedMicros,
            admissions: grant.admissions,
            reason: grant.closedFor,
          });
          grant.returned = true;
        }
        // Each grant once, only once its appends settled, with exactly what it admitted.
        const byId = (a: GrantReturn, b: GrantReturn) => a.grantId.localeCompare(b.grantId);
        expect([...returned].sort(byId)).toEqual(expected.sort(byId));
        break;
      }
      case 'demand': {
        const { keyId, userId, model } = PAIRS[step.pair];
        const amount = BigInt(step.amount);
        const previous = lastAdmission[step.pair];
        const slice = open[step.pair];
        const expected =
          previous !== null &&
          clock.now - previous <= IDLE_MS &&
          acquiring[step.pair] === null &&
          clock.now >= declinedUntil[step.pair] &&
          !(slice && alive(slice) && covers(slice, amount));
        expect(sut.noteDemand(keyId, model, userId, amount)).toBe(expected);
        lastAdmission[step.pair] = clock.now;
        break;
      }
      case 'declined': {
        const { keyId, model } = PAIRS[step.pair];
        sut.declined(keyId, model, step.ms);
        declinedUntil[step.pair] = clock.now + step.ms;
        break;
      }
    }

    // After every step, for every grant: admitted (taken − untaken) within what was granted.
    for (const grant of grants.values()) {
      const within =
        grant.admittedMicros >= 0n &&
        grant.admittedMicros <= grant.money &&
        grant.admissions >= 0 &&
        grant.admissions <= grant.requests;
      if (!within) expect({ ...grant, inFlight: grant.inFlight.size }).toBe('within its money and requests');
    }
    const live = open.filter((g) => g !== null).length;
    const closing = [...grants.values()].filter((g) => g.closedFor !== null && !g.returned).length;
    expect(sut.size).toEqual({ live, closing });
  }
}

describe(`${GrantBook.name} (property)`, () => {
  it('keeps every grant within its money and requests, refuses closed and dead slices, and returns each grant once, exactly', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 120, size: 'max' }), (ops) => run(ops)),
      { numRuns: 400 },
    );
  });
});
