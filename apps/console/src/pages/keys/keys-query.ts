import { useQuery } from '@tanstack/react-query';
import type { KeyList, KeyResponse } from '@tollgate/contracts';
import { api } from '../../api/client';

/** The cache key of a user's key list: every write on this page refreshes it. */
export const keyListKey = (userId: string) => ['keys', userId, 'list'] as const;

export function useKeyList(userId: string) {
  return useQuery({
    queryKey: keyListKey(userId),
    queryFn: ({ signal }) => api.get<KeyList>(`/users/${userId}/keys`, undefined, signal),
  });
}

/** How the page names a key in buttons and notices: its name, or its last six characters when it has none. */
export const keyLabel = (key: Pick<KeyResponse, 'name' | 'last6'>): string => key.name || `the key …${key.last6}`;
