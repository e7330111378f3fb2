import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@tollgate/contracts';
import { actorIds, actorName, namesOf } from './names.js';
import { fakeNames } from '../testing/fake-names.js';

const ANN = randomUUID();
const LAPTOP = randomUUID();

describe(namesOf.name, () => {
  it('asks once for a page, each id once, and answers null for an id auth does not know', async () => {
    const auth = fakeNames({ [ANN]: 'Ann' }, { [LAPTOP]: 'laptop' });
    const gone = randomUUID();

    const names = await namesOf(auth.ask, { userIds: [ANN, gone, ANN], keyIds: [LAPTOP, LAPTOP, gone] });

    expect(auth.asked).toEqual([{ userIds: [ANN, gone], keyIds: [LAPTOP, gone] }]);
    expect([names.user(ANN), names.user(gone), names.key(LAPTOP), names.key(gone)]).toEqual([
      'Ann',
      null,
      'laptop',
      null,
    ]);
    // A user's id is not a key's: the kinds are kept apart.
    expect(names.key(ANN)).toBeNull();
  });

  it('asks nothing for a page without ids', async () => {
    const auth = fakeNames({}, {});
    const names = await namesOf(auth.ask, { userIds: [], keyIds: [] });
    expect(auth.asked).toEqual([]);
    expect(names.user(ANN)).toBeNull();
  });

  it('asks in parts of LIMITS.nameLookupIds for a page with more ids than one message carries', async () => {
    const users = Array.from({ length: LIMITS.nameLookupIds * 2 + 1 }, () => randomUUID());
    const keys = Array.from({ length: 3 }, () => randomUUID());
    const auth = fakeNames(Object.fromEntries(users.map((id, i) => [id, `user ${i}`])), {});

    const names = await namesOf(auth.ask, { userIds: users, keyIds: keys });

    expect(auth.asked.map((ask) => [ask.userIds.length, ask.keyIds.length])).toEqual([
      [LIMITS.nameLookupIds, 3],
      [LIMITS.nameLookupIds, 0],
      [1, 0],
    ]);
    expect(names.user(users[users.length - 1] ?? '')).toBe(`user ${users.length - 1}`);
  });
});

describe(actorName.name, () => {
  const auth = fakeNames({ [ANN]: 'Ann (billing)' }, { [LAPTOP]: 'laptop' });

  it.each([
    ['a staff user id', ANN, { userIds: [ANN], keyIds: [] }, 'Ann (billing)'],
    ["a hold's key", `key:${LAPTOP}`, { userIds: [], keyIds: [LAPTOP] }, 'laptop'],
    ['an id auth does not know', randomUUID(), null, null],
    ['the settlement service', 'settlement', { userIds: [], keyIds: [] }, null],
    ['the hold sweeper', 'hold-expiry', { userIds: [], keyIds: [] }, null],
    ['a key: prefix without an id', 'key:nope', { userIds: [], keyIds: [] }, null],
  ])('names %s', async (_what, actor, ids, name) => {
    if (ids !== null) expect(actorIds(actor)).toEqual(ids);
    const names = await namesOf(auth.ask, actorIds(actor));
    expect(actorName(actor, names)).toBe(name);
  });
});
