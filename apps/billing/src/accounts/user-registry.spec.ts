import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { FakeUserDirectory } from '../testing/fake-user-directory.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { UserRegistry } from './user-registry.js';

describe(UserRegistry.name, () => {
  const { billing } = useBillingDatabase();
  let auth: FakeUserDirectory;
  let sut: UserRegistry;

  beforeEach(() => {
    auth = new FakeUserDirectory();
    sut = new UserRegistry(billing.knownUsers, auth, billing.logger);
  });

  it('answers from what billing heard of, without asking auth', async () => {
    const heard = auth.add();
    await billing.knownUsers.record([heard]);

    expect(await sut.unknownUsers([heard.id])).toEqual({ ok: true, value: [] });
    expect(auth.lookups).toEqual([]);
  });

  it('asks auth about an id it has not heard of, and remembers a user auth has', async () => {
    const created = auth.add().id;
    const stranger = randomUUID();

    expect(await sut.unknownUsers([created.toUpperCase(), stranger, created])).toEqual({ ok: true, value: [stranger] });
    expect(auth.lookups).toEqual([[created, stranger]]);
    expect(await billing.knownUsers.knownAmong([created, stranger])).toEqual(new Set([created]));
  });

  it('does not remember a no: an id that becomes a user is found the next time', async () => {
    const id = randomUUID();
    expect(await sut.unknownUsers([id])).toEqual({ ok: true, value: [id] });

    auth.add(id);

    expect(await sut.unknownUsers([id])).toEqual({ ok: true, value: [] });
    expect(auth.lookups).toEqual([[id], [id]]);
  });

  it('asks in lookups of at most the declared size', async () => {
    const ids = Array.from({ length: LIMITS.batchRows + 1 }, () => randomUUID());

    const reply = await sut.unknownUsers(ids);

    expect(reply.ok && reply.value).toHaveLength(ids.length);
    expect(auth.lookups.map((lookup) => lookup.length)).toEqual([LIMITS.batchRows, 1]);
  });

  it('says whether one user exists, with the 404 naming an id no one has', async () => {
    const user = auth.add().id;
    const stranger = randomUUID();

    expect(await sut.exists(user)).toEqual({ ok: true, value: true });
    expect(await sut.exists(stranger)).toMatchObject({
      ok: false,
      denial: { reason: DenialReason.ResourceNotFound, params: { detail: `no such user ${stranger}` } },
    });
  });

  it('answers service_unavailable when it must ask auth and auth does not answer', async () => {
    const heard = auth.add();
    await billing.knownUsers.record([heard]);
    auth.answering = false;

    expect(await sut.unknownUsers([heard.id])).toEqual({ ok: true, value: [] });
    expect(await sut.unknownUsers([heard.id, randomUUID()])).toEqual({
      ok: false,
      denial: { reason: DenialReason.ServiceUnavailable, params: { retryAfterSeconds: 1 } },
    });
  });
});
