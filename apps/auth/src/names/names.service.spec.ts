import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TestDatabase } from '@tollgate/testing';
import { ApiKeyEntity } from '../keys/api-key.entity.js';
import { CreateAuthSchema1764300000000 } from '../migrations/1764300000000-create-auth-schema.js';
import { UserEntity } from '../users/user.entity.js';
import { NamesService } from './names.service.js';

describe(NamesService.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  let sut: NamesService;

  beforeAll(async () => {
    database = await TestDatabase.create('auth_names_test');
    db = await database.open({
      schema: 'auth',
      entities: [UserEntity, ApiKeyEntity],
      migrations: [CreateAuthSchema1764300000000],
      poolSize: 2,
    });
    sut = new NamesService(db);
  });

  afterAll(async () => {
    await database?.drop();
  });

  const user = (name: string) =>
    db.getRepository(UserEntity).save({ name, email: null, role: 'user', group: 'default', status: 'active' });
  const key = (userId: string, name: string) =>
    db.getRepository(ApiKeyEntity).save({
      userId,
      name,
      keyHash: randomUUID(),
      prefix: 'sk-',
      last6: 'abcdef',
      status: 'active',
      expiresAt: null,
      allowedModels: null,
      allowedIpRanges: null,
      budgetMicros: null,
      rpmLimit: null,
    });

  it('answers the names of the users and keys asked for, and leaves out ids that name nothing', async () => {
    const ann = await user('Ann Acme');
    const bob = await user('Bob');
    const laptop = await key(ann.id, 'laptop');
    const unknown = randomUUID();

    const reply = await sut.names({ userIds: [ann.id, unknown, bob.id], keyIds: [laptop.id, unknown, ann.id] });

    expect(reply.ok && reply.value.users.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { id: ann.id, name: 'Ann Acme' },
      { id: bob.id, name: 'Bob' },
    ]);
    // A user's id asked as a key's is no key: kinds are not mixed up.
    expect(reply.ok && reply.value.keys).toEqual([{ id: laptop.id, name: 'laptop' }]);
  });

  it('answers an empty ask without a query, and an ask of only unknown ids with empty lists', async () => {
    expect(await sut.names({ userIds: [], keyIds: [] })).toEqual({ ok: true, value: { users: [], keys: [] } });
    expect(await sut.names({ userIds: [randomUUID()], keyIds: [randomUUID()] })).toEqual({
      ok: true,
      value: { users: [], keys: [] },
    });
  });
});
