import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuthSubjects, type UserRecord, type UserView } from '@tollgate/contracts';
import { TestDatabase } from '@tollgate/testing';
import { ApiKeyEntity } from '../keys/api-key.entity.js';
import { CreateAuthSchema1764300000000 } from '../migrations/1764300000000-create-auth-schema.js';
import { UserEntity } from './user.entity.js';
import { UsersService } from './users.service.js';

describe(UsersService.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  let sut: UsersService;
  /** What the service broadcast, as [subject, payload]. */
  let broadcasts: Array<[string, unknown]>;

  beforeAll(async () => {
    database = await TestDatabase.create('auth_users_test');
    db = await database.open({
      schema: 'auth',
      entities: [UserEntity, ApiKeyEntity],
      migrations: [CreateAuthSchema1764300000000],
      poolSize: 2,
    });
    sut = new UsersService(db, {
      broadcast: (target, payload) => broadcasts.push([target.name, payload]),
    });
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(() => {
    broadcasts = [];
  });

  const create = async (name = 'ann', group?: string): Promise<UserView> => {
    const reply = await sut.create({ actorRole: 'admin', name, group });
    if (!reply.ok) throw new Error(`create refused: ${JSON.stringify(reply.denial)}`);
    return reply.value;
  };
  const lifecycle = () =>
    broadcasts.filter(([subject]) => subject !== AuthSubjects.invalidated.name) as Array<[string, UserRecord]>;

  it('announces a created user, as it was committed', async () => {
    const user = await create('ann', 'vip');

    expect(lifecycle()).toEqual([
      [AuthSubjects.userCreated.name, { id: user.id, group: 'vip', status: 'active', updatedAt: user.updatedAt }],
    ]);
  });

  it('announces a suspension and a change of group, each with the user as it now is, and nothing else', async () => {
    const user = await create();
    broadcasts = [];

    await sut.update({ actorRole: 'admin', userId: user.id, name: 'ann b.' });
    await sut.update({ actorRole: 'admin', userId: user.id, status: 'suspended' });
    await sut.update({ actorRole: 'admin', userId: user.id, group: 'vip', status: 'suspended' });

    const events = lifecycle();
    expect(events.map(([subject, record]) => [subject, record.status, record.group])).toEqual([
      [AuthSubjects.userStatusChanged.name, 'suspended', 'default'],
      [AuthSubjects.userGroupChanged.name, 'suspended', 'vip'],
    ]);
    // Later changes carry later times: a listener keeps the newest whatever order they arrive in.
    const times = events.map(([, record]) => Date.parse(record.updatedAt));
    expect(times[0]).toBeGreaterThan(Date.parse(user.updatedAt));
    expect(times[1]).toBeGreaterThanOrEqual(times[0] ?? Infinity);
  });

  it('lists every user once in the directory, in id order, a page at a time', async () => {
    for (const name of ['b', 'c', 'd', 'e']) await create(name);
    const all = (await db.query<Array<{ id: string }>>('SELECT id FROM users ORDER BY id')).map((row) => row.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await sut.directory({ limit: 2, cursor });
      if (!reply.ok) throw new Error('directory refused');
      seen.push(...reply.value.data.map((record) => record.id));
      expect(
        reply.value.data.every((record) => Object.keys(record).sort().join() === 'group,id,status,updatedAt'),
      ).toBe(true);
      cursor = reply.value.nextCursor;
      pages++;
    } while (cursor);

    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('finds the users among ids that exist and leaves out those that do not', async () => {
    const user = await create('looked-up');
    const missing = randomUUID();

    const reply = await sut.lookup({ userIds: [missing, user.id.toUpperCase()] });

    expect(reply).toEqual({
      ok: true,
      value: [{ id: user.id, group: 'default', status: 'active', updatedAt: user.updatedAt }],
    });
  });
});
