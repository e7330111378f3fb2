import { describe, expect, it } from '@jest/globals';
import {
  AuthSubjects,
  CreateKeyRequest,
  CreateUserRequest,
  NamesRequest,
  PageRequest,
  UserDirectoryRequest,
  UserLookupRequest,
} from './auth.contract.js';
import { LIMITS } from './schema/fields.js';
import { describeSubjects, refusedParam, type Examples } from './testing/subject-cases.js';

const USER = '3f2c1a9e-5b7d-4e21-9c8a-1d2e3f4a5b6c';
const KEY = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const examples: Examples<typeof AuthSubjects> = {
  authenticate: { authorization: 'Bearer sk-abc', clientIp: '10.0.0.1', model: 'gpt-4o' },
  createUser: { actorRole: 'admin', name: 'alice', email: 'alice@example.com', role: 'user', group: 'default' },
  listUsers: { limit: 50, cursor: null },
  getUser: { userId: USER },
  updateUser: { actorRole: 'root', userId: USER, status: 'suspended' },
  createKey: {
    actorRole: 'admin',
    userId: USER,
    name: 'laptop',
    expiresAt: '2030-01-01T00:00:00.000Z',
    allowedModels: ['gpt-4o'],
    allowedIpRanges: ['10.0.0.0/8'],
    budgetMicros: '5000000',
    rpmLimit: 60,
  },
  listKeys: { userId: USER },
  updateKey: { actorRole: 'admin', keyId: KEY, allowedIpRanges: null, rpmLimit: null },
  revokeKey: { actorRole: 'admin', keyId: KEY },
  userDirectory: { limit: LIMITS.userDirectoryPage, cursor: USER },
  lookupUsers: { userIds: [USER, KEY] },
  openSession: { authorization: 'Bearer sk-x', clientIp: '127.0.0.1' },
  resolveSession: { token: 'tgs_x', clientIp: '127.0.0.1' },
  closeSession: { token: 'tgs_x' },
  names: { userIds: [USER], keyIds: [KEY] },
  ping: {},
  invalidated: { keyIds: [KEY] },
  userCreated: { id: USER, group: 'default', status: 'active', updatedAt: '2030-01-01T00:00:00.000Z' },
  userStatusChanged: { id: USER, group: 'default', status: 'suspended', updatedAt: '2030-01-01T00:00:01.000Z' },
  userGroupChanged: { id: USER, group: 'vip', status: 'active', updatedAt: '2030-01-01T00:00:02.000Z' },
};

describe('AuthSubjects', () => {
  describeSubjects(AuthSubjects, examples);
});

describe('auth requests', () => {
  it.each([
    [{ role: 'emperor' }, 'role'],
    [{ actorRole: 'emperor' }, 'actorRole'],
    [{ email: 'not an address' }, 'email'],
    [{ group: 'has space' }, 'group'],
    [{ name: ' ' }, 'name'],
    [{ name: 'x'.repeat(LIMITS.nameLength + 1) }, 'name'],
  ])('refuses a user with %j, naming %s', (change, param) => {
    expect(refusedParam(CreateUserRequest, { ...examples.createUser, ...change })).toBe(param);
  });

  it.each([
    [{ allowedIpRanges: ['10.0.0/8'] }, 'allowed_ip_ranges'],
    [{ allowedModels: ['gpt-4o', ''] }, 'allowed_models'],
    [{ expiresAt: 'tomorrow' }, 'expires_at'],
    [{ budgetMicros: '1.5' }, 'budget'],
    [{ rpmLimit: 0 }, 'rpm_limit'],
    [{ userId: 'not-a-uuid' }, 'userId'],
  ])('refuses a key with %j, naming %s as the admin API spells it', (change, param) => {
    expect(refusedParam(CreateKeyRequest, { ...examples.createKey, ...change })).toBe(param);
  });

  it('takes nulls where they mean "no restriction"', () => {
    const unrestricted = { ...examples.createKey, expiresAt: null, allowedModels: null, budgetMicros: null };
    expect(refusedParam(CreateKeyRequest, unrestricted)).toBeNull();
  });

  it('pages users from a cursor it returned', () => {
    expect(refusedParam(PageRequest, { limit: LIMITS.usersPage + 1 })).toBeNull();
    expect(refusedParam(PageRequest, { limit: 0 })).toBe('limit');
    expect(refusedParam(PageRequest, { cursor: 'abc' })).toBe('cursor');
  });

  it('bounds a directory page by the one declared limit', () => {
    expect(refusedParam(UserDirectoryRequest, { limit: LIMITS.userDirectoryPage })).toBeNull();
    expect(refusedParam(UserDirectoryRequest, { limit: LIMITS.userDirectoryPage + 1 })).toBe('limit');
    expect(refusedParam(UserDirectoryRequest, { cursor: 'abc' })).toBe('cursor');
  });

  it("looks up at most a batch's rows of user ids, and only ids", () => {
    const ids = (n: number) => Array.from({ length: n }, () => USER);
    expect(refusedParam(UserLookupRequest, { userIds: ids(LIMITS.batchRows) })).toBeNull();
    expect(refusedParam(UserLookupRequest, { userIds: ids(LIMITS.batchRows + 1) })).toBe('userIds');
    expect(refusedParam(UserLookupRequest, { userIds: [] })).toBe('userIds');
    expect(refusedParam(UserLookupRequest, { userIds: [USER, 'not-a-uuid'] })).toBe('userIds[1]');
  });

  it('asks the names of at most LIMITS.nameLookupIds users and as many keys, by id only', () => {
    const ids = (n: number) => Array.from({ length: n }, () => USER);
    const most = LIMITS.nameLookupIds;
    expect(refusedParam(NamesRequest, { userIds: ids(most), keyIds: ids(most) })).toBeNull();
    expect(refusedParam(NamesRequest, { userIds: [], keyIds: [] })).toBeNull();
    expect(refusedParam(NamesRequest, { userIds: ids(most + 1), keyIds: [] })).toBe('userIds');
    expect(refusedParam(NamesRequest, { userIds: [], keyIds: ids(most + 1) })).toBe('keyIds');
    expect(refusedParam(NamesRequest, { userIds: [], keyIds: ['key:' + KEY] })).toBe('keyIds[0]');
  });
});
