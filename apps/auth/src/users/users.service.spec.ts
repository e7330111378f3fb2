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

  describe('search', () => {
    const search = async (text: string, limit = 50): Promise<string[]> => {
      const reply = await sut.list({ limit, cursor: null, search: text });
      if (!reply.ok) throw new Error('list refused');
      return reply.value.data.map((user) => user.name);
    };

    beforeAll(async () => {
      for (const [name, email] of [
        ['Search Zelda Ortiz', 'zelda@acme.example'],
        ['Search Zed 100%_off', 'zed@shop.example'],
        ['Search Anna', null],
      ] as const) {
        const reply = await sut.create({ actorRole: 'admin', name, email });
        if (!reply.ok) throw new Error('create refused');
      }
    });

    it('finds users by part of a name or an e-mail, in any case', async () => {
      expect((await search('zelda')).sort()).toEqual(['Search Zelda Ortiz']);
      expect(await search('ACME.EXAMPLE')).toEqual(['Search Zelda Ortiz']);
      expect((await search('search z')).sort()).toEqual(['Search Zed 100%_off', 'Search Zelda Ortiz']);
    });

    it('finds a user by its whole id, and by nothing less', async () => {
      const anna = await sut.list({ limit: 50, cursor: null, search: 'Search Anna' });
      const id = anna.ok ? anna.value.data[0]?.id : undefined;
      expect(await search(id ?? 'missing')).toEqual(['Search Anna']);
      expect(await search((id ?? '').slice(0, 8))).toEqual([]);
    });

    it('matches % _ and \\ as themselves, not as patterns', async () => {
      expect(await search('100%_off')).toEqual(['Search Zed 100%_off']);
      expect(await search('%')).toEqual(['Search Zed 100%_off']);
      expect(await search('_')).toEqual(['Search Zed 100%_off']);
      expect(await search('\\')).toEqual([]);
    });

    it('pages a search with the cursor it answers', async () => {
      const first = await sut.list({ limit: 1, cursor: null, search: 'search z' });
      if (!first.ok) throw new Error('list refused');
      const second = await sut.list({ limit: 1, cursor: first.value.nextCursor, search: 'search z' });
      if (!second.ok) throw new Error('list refused');
      const names = [...first.value.data, ...second.value.data].map((user) => user.name).sort();
      expect(names).toEqual(['Search Zed 100%_off', 'Search Zelda Ortiz']);
      expect(second.value.nextCursor).toBeNull();
    });
  });
});
