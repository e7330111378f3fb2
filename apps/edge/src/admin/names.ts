import { AuthSubjects, isUuid, LIMITS, type NamesReply, type NamesRequest } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { unwrap } from './admin-input.js';

/** Asks auth for the names of at most LIMITS.nameLookupIds users and as many keys (AuthSubjects.names). */
export type NamesAsker = (request: NamesRequest) => Promise<NamesReply>;

/** The asker of the running edge: auth, over NATS; auth not answering is a 503 like any other read. */
export const namesOverBus =
  (bus: Pick<NatsBus, 'request'>): NamesAsker =>
  async (request) =>
    unwrap(await bus.request(AuthSubjects.names, request));

/** The names of a page's users and keys; an id auth does not know (or was not asked) is null. */
export interface Names {
  user(id: string): string | null;
  key(id: string): string | null;
}

/** The ids a page shows, to be named; repeats are fine (each is asked once). */
export interface NameIds {
  userIds: readonly string[];
  keyIds: readonly string[];
}

/**
 * The names of every user and key of one page, asked of auth once for the
 * page, never once per row: billing keeps ids only, auth the names. A page
 * with more distinct ids than one message carries (a usage report of
 * thousands of rows) is asked in parts of LIMITS.nameLookupIds, at once.
 */
export async function namesOf(ask: NamesAsker, ids: NameIds): Promise<Names> {
  const userIds = [...new Set(ids.userIds)];
  const keyIds = [...new Set(ids.keyIds)];
  const size = LIMITS.nameLookupIds;
  const asks: NamesRequest[] = [];
  for (let at = 0; at < Math.max(userIds.length, keyIds.length); at += size) {
    asks.push({ userIds: userIds.slice(at, at + size), keyIds: keyIds.slice(at, at + size) });
  }
  const replies = await Promise.all(asks.map(ask));
  const users = new Map(replies.flatMap((reply) => reply.users.map(({ id, name }) => [id, name] as const)));
  const keys = new Map(replies.flatMap((reply) => reply.keys.map(({ id, name }) => [id, name] as const)));
  return { user: (id) => users.get(id) ?? null, key: (id) => keys.get(id) ?? null };
}

/** A ledger actor holding a hold's key: `key:<key id>` (see billing's reserve). */
const KEY_ACTOR = 'key:';

/**
 * Whom a ledger entry's `actor` names: a user id (the staff member of a
 * top-up or adjustment), `key:<id>` (the key a hold was made for), or a
 * service's own word (`settlement`, `hold-expiry`), which names no one.
 */
export function actorIds(actor: string): NameIds {
  if (isUuid(actor)) return { userIds: [actor], keyIds: [] };
  const keyId = actor.startsWith(KEY_ACTOR) ? actor.slice(KEY_ACTOR.length) : '';
  return isUuid(keyId) ? { userIds: [], keyIds: [keyId] } : { userIds: [], keyIds: [] };
}

/** The actor's name, or null for a service and for an id auth does not know. */
export function actorName(actor: string, names: Names): string | null {
  const {
    userIds: [userId],
    keyIds: [keyId],
  } = actorIds(actor);
  return userId !== undefined ? names.user(userId) : keyId !== undefined ? names.key(keyId) : null;
}

/** The ids of many rows as one NameIds, each row giving its own. */
export function idsOf<T>(rows: readonly T[], idsOfRow: (row: T) => NameIds): NameIds {
  const parts = rows.map(idsOfRow);
  return {
    userIds: parts.flatMap((part) => part.userIds),
    keyIds: parts.flatMap((part) => part.keyIds),
  };
}
