import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { UserRecord } from '@tollgate/contracts';
import { useBillingDatabase } from '../testing/test-database.js';
import { KnownUsersRepository } from './known-users.repository.js';

describe(KnownUsersRepository.name, () => {
  const { billing } = useBillingDatabase();
  const sut = () => billing.knownUsers;

  const version = (id: string, at: string, fields: Partial<UserRecord> = {}): UserRecord => ({
    id,
    group: 'default',
    status: 'active',
    updatedAt: at,
    ...fields,
  });
  const stored = async (id: string) =>
    (
      await billing.db.query<Array<{ group_name: string; status: string; auth_updated_at: Date }>>(
        `SELECT group_name, status, auth_updated_at FROM billing.known_users WHERE user_id = $1`,
        [id],
      )
    ).map((row) => ({ group: row.group_name, status: row.status, at: row.auth_updated_at.toISOString() }));

  it('keeps the newest version of a user by the time auth gives it, whatever order the versions arrive in', async () => {
    const id = randomUUID();

    await sut().record([version(id, '2030-01-01T00:00:02.000Z', { status: 'suspended' })]);
    // A catch-up page read before the suspension, arriving after its event.
    await sut().record([version(id, '2030-01-01T00:00:01.000Z')]);

    expect(await stored(id)).toEqual([{ group: 'default', status: 'suspended', at: '2030-01-01T00:00:02.000Z' }]);
  });

  it('takes a second change within the same millisecond as it arrives', async () => {
    const id = randomUUID();
    const at = '2030-01-01T00:00:03.000Z';

    await sut().record([version(id, at, { status: 'suspended' })]);
    await sut().record([version(id, at, { status: 'suspended', group: 'vip' })]);

    expect(await stored(id)).toEqual([{ group: 'vip', status: 'suspended', at }]);
  });

  it('takes several versions of one user in one call, and the same call again, keeping the newest', async () => {
    const id = randomUUID();
    const versions = [
      version(id.toUpperCase(), '2030-01-01T00:00:05.000Z', { group: 'newest' }),
      version(id, '2030-01-01T00:00:04.000Z', { group: 'older' }),
    ];

    await sut().record(versions);
    await sut().record(versions);

    expect(await stored(id)).toEqual([{ group: 'newest', status: 'active', at: '2030-01-01T00:00:05.000Z' }]);
  });

  it('says which ids it has heard of, in lower case', async () => {
    const heard = randomUUID();
    const stranger = randomUUID();
    await sut().record([version(heard, '2030-01-01T00:00:00.000Z')]);

    expect(await sut().knownAmong([heard.toUpperCase(), stranger])).toEqual(new Set([heard]));
    expect(await sut().knownAmong([])).toEqual(new Set());
  });
});
