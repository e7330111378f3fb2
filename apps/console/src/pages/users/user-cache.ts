import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserResponse } from '@tollgate/contracts';
import { api } from '../../api/client';

const userKey = (userId: string) => ['user', userId] as const;

/** One user as the admin API holds them (GET /users/{id}). */
export function useUser(userId: string) {
  return useQuery({
    queryKey: userKey(userId),
    queryFn: ({ signal }) => api.get<UserResponse>(`/users/${userId}`, undefined, signal),
  });
}

/**
 * What to do with the user a write answered with: their page shows the
 * answer at once, and every other copy (the search results, the customer
 * page) reads again.
 */
export function useRememberUser(): (user: UserResponse) => void {
  const queries = useQueryClient();
  return useCallback(
    (user) => {
      queries.setQueryData(userKey(user.id), user);
      void queries.invalidateQueries({ queryKey: ['users'] });
      void queries.invalidateQueries({ queryKey: ['customer', user.id] });
    },
    [queries],
  );
}
