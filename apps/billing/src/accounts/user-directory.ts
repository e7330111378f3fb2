import { Inject, Injectable } from '@nestjs/common';
import { AuthSubjects, type Page, type Reply, type UserRecord } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { NATS_BUS } from '../tokens.js';

/** What billing asks auth about users. Either call throws when auth does not answer (ServiceUnavailableError). */
export interface UserDirectory {
  /** The users among `userIds` (at most LIMITS.batchRows) that exist; the others are left out. */
  lookup(userIds: readonly string[]): Promise<UserRecord[]>;
  /** One page of every user, in id order, after `cursor` (null: from the start). */
  page(cursor: string | null): Promise<Page<UserRecord>>;
}

export const USER_DIRECTORY = Symbol('USER_DIRECTORY');

/** A denial here is billing's own bug (the ids were checked on arrival), not an answer. */
function valueOf<T>(subject: string, reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`${subject} refused: ${JSON.stringify(reply.denial)}`);
  return reply.value;
}

/** The directory auth serves over NATS (`AuthSubjects.lookupUsers`, `AuthSubjects.userDirectory`). */
@Injectable()
export class AuthUserDirectory implements UserDirectory {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  async lookup(userIds: readonly string[]): Promise<UserRecord[]> {
    const target = AuthSubjects.lookupUsers;
    return valueOf(target.name, await this.bus.request(target, { userIds: [...userIds] }));
  }

  async page(cursor: string | null): Promise<Page<UserRecord>> {
    const target = AuthSubjects.userDirectory;
    return valueOf(target.name, await this.bus.request(target, { cursor }));
  }
}
