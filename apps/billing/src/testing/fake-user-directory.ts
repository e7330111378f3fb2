import { randomUUID } from 'node:crypto';
import type { Page, UserRecord } from '@tollgate/contracts';
import { ServiceUnavailableError } from '@tollgate/nats';
import type { UserDirectory } from '../accounts/user-directory.js';

/**
 * Auth as billing's specs see it, across the NATS edge: the users it has,
 * answered the way AuthUserDirectory answers (id order, pages, lookups that
 * leave unknown ids out), and a switch to make it stop answering.
 */
export class FakeUserDirectory implements UserDirectory {
  private readonly users = new Map<string, UserRecord>();
  /** false: every call fails as a NATS request to a stopped auth does. */
  answering = true;
  /** Users per page of `page`. */
  pageSize = 2;
  /** Every lookup asked, in order. */
  readonly lookups: string[][] = [];

  /** A user auth now has (a new one by default), as it would announce it. */
  add(id: string = randomUUID(), fields: Partial<Omit<UserRecord, 'id'>> = {}): UserRecord {
    const record: UserRecord = {
      id: id.toLowerCase(),
      group: 'default',
      status: 'active',
      updatedAt: new Date().toISOString(),
      ...fields,
    };
    this.users.set(record.id, record);
    return record;
  }

  lookup(userIds: readonly string[]): Promise<UserRecord[]> {
    this.lookups.push([...userIds]);
    this.refuseIfAway('tollgate.auth.users.lookup');
    return Promise.resolve(userIds.flatMap((id) => this.users.get(id.toLowerCase()) ?? []));
  }

  page(cursor: string | null): Promise<Page<UserRecord>> {
    this.refuseIfAway('tollgate.auth.users.directory');
    const after = [...this.users.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .filter((user) => cursor === null || user.id > cursor);
    const data = after.slice(0, this.pageSize);
    return Promise.resolve({
      data,
      nextCursor: after.length > this.pageSize ? (data[data.length - 1]?.id ?? null) : null,
    });
  }

  private refuseIfAway(subject: string): void {
    if (!this.answering) throw new ServiceUnavailableError(subject, new Error('no responders'));
  }
}
