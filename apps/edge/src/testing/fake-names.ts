import type { NamesRequest } from '@tollgate/contracts';
import type { Names, NamesAsker } from '../admin/names.js';

/** Names as auth answers when it knows none of the ids: every one null. */
export const NO_NAMES: Names = { user: () => null, key: () => null };

/**
 * Auth's names as a map of id to name, users and keys apart; an id not in
 * them is one auth does not know. `asked` records every ask.
 */
export function fakeNames(users: Record<string, string>, keys: Record<string, string>) {
  const asked: NamesRequest[] = [];
  const ask: NamesAsker = (request) => {
    asked.push(request);
    const known = (ids: readonly string[], names: Record<string, string>) =>
      ids.filter((id) => id in names).map((id) => ({ id, name: names[id] ?? '' }));
    return Promise.resolve({ users: known(request.userIds, users), keys: known(request.keyIds, keys) });
  };
  return { ask, asked };
}
