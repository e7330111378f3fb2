import { Inject, Injectable } from '@nestjs/common';
import { LIMITS, ok, refused, type Reply } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { ServiceUnavailableError } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { LOGGER } from '../tokens.js';
import { KnownUsersRepository } from './known-users.repository.js';
import { USER_DIRECTORY, type UserDirectory } from './user-directory.js';

/**
 * Whether users exist, as billing must know before it moves money for them.
 * billing.known_users answers first; an id it does not hold is asked of auth
 * before it is called unknown. That closes the race of a user created a
 * moment ago: auth answers a create only after its commit, so staff who have
 * the new id can only send money after auth would find it, whether or not
 * its `userCreated` event has reached billing yet. Auth's yes is recorded,
 * so the next question is answered here. Its no is not: an id may become a
 * user the next moment, and a remembered no would then be a false 404.
 */
@Injectable()
export class UserRegistry {
  constructor(
    private readonly known: KnownUsersRepository,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The ids among `userIds` that no user has (lower case), or a
   * ServiceUnavailable denial when some are not known here and auth does
   * not answer: then nothing can be concluded, and nothing may move.
   */
  async unknownUsers(userIds: readonly string[]): Promise<Reply<string[]>> {
    const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
    const known = await this.known.knownAmong(ids);
    const asked = ids.filter((id) => !known.has(id));
    if (asked.length === 0) return ok([]);
    const found = new Set<string>();
    try {
      for (let start = 0; start < asked.length; start += LIMITS.batchRows) {
        const records = await this.directory.lookup(asked.slice(start, start + LIMITS.batchRows));
        await this.known.record(records);
        for (const record of records) found.add(record.id.toLowerCase());
      }
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      this.logger.warn({ err: error.message, users: asked.length }, 'auth did not answer whether users exist');
      return refused(deny(DenialReason.ServiceUnavailable, { retryAfterSeconds: 1 }));
    }
    return ok(asked.filter((id) => !found.has(id)));
  }

  /**
   * Nothing, or the 404 naming a user no one has: what staff reads of a
   * balance, ledger or holds answer for an id that is not a user, rather
   * than an account of zeros that does not exist.
   */
  async exists(userId: string): Promise<Reply<true>> {
    const unknown = await this.unknownUsers([userId]);
    if (!unknown.ok) return unknown;
    if (unknown.value.length === 0) return ok(true);
    return refused(deny(DenialReason.ResourceNotFound, { detail: `no such user ${userId}` }));
  }
}
