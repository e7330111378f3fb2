import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AuthSubjects, USER_LIFECYCLE_EVENTS, type EventSubject, type UserRecord } from '@tollgate/contracts';
import { createLogger } from '@tollgate/observability';
import { useBillingDatabase } from '../testing/test-database.js';
import { UserEventsListener } from './user-events.listener.js';

describe(UserEventsListener.name, () => {
  const { billing } = useBillingDatabase();
  let sut: UserEventsListener;
  const handlers = new Map<string, (payload: UserRecord) => void>();
  const logged: Array<{ msg: string }> = [];

  beforeAll(() => {
    const logger = createLogger('billing-test', 'error', {
      hooks: {
        streamWrite: (line) => {
          logged.push(JSON.parse(line) as { msg: string });
          return '';
        },
      },
    });
    const bus = {
      onBroadcast: (target: EventSubject<UserRecord>, handler: (payload: UserRecord) => void) =>
        handlers.set(target.name, handler),
    };
    sut = new UserEventsListener(billing.knownUsers, bus, logger);
    sut.onModuleInit();
  });

  const record = (fields: Partial<UserRecord> = {}): UserRecord => ({
    id: randomUUID(),
    group: 'default',
    status: 'active',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...fields,
  });
  const statusOf = async (id: string) =>
    (
      await billing.db.query<Array<{ status: string }>>(`SELECT status FROM billing.known_users WHERE user_id = $1`, [
        id,
      ])
    )[0]?.status;

  it('listens to every user lifecycle event', () => {
    expect([...handlers.keys()].sort()).toEqual(USER_LIFECYCLE_EVENTS.map((target) => target.name).sort());
  });

  it('records a created user, and then its suspension', async () => {
    const user = record();

    await sut.handle(AuthSubjects.userCreated, user);
    expect(await billing.knownUsers.knownAmong([user.id])).toEqual(new Set([user.id]));

    await sut.handle(AuthSubjects.userStatusChanged, {
      ...user,
      status: 'suspended',
      updatedAt: '2030-01-01T00:00:01.000Z',
    });
    expect(await statusOf(user.id)).toBe('suspended');
  });

  it('logs and drops what is not a user record, recording nothing', async () => {
    const id = randomUUID();

    await sut.handle(AuthSubjects.userCreated, { id, group: 'default', status: 'deleted', updatedAt: 'yesterday' });

    expect(await billing.knownUsers.knownAmong([id])).toEqual(new Set());
    expect(logged.map((line) => line.msg)).toContain('a user event that is not a user record; ignored');
  });
});
