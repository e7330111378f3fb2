import { useMutation } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import type { UserCreate, UserResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { useRememberUser } from './user-cache';
import { NEW_USER, UserForm, type UserDraft } from './user-form';

/** What the user's page is opened with after they were made here: it says so. */
export interface CreatedState {
  created: true;
}

/** No e-mail typed: none is sent, and the user has none. */
const createBody = ({ email, ...draft }: UserDraft): UserCreate => (email ? { ...draft, email } : draft);

/** The create form; the new user opens on their own page, where their keys are one link away. */
export function CreateUser() {
  const [, navigate] = useLocation();
  const remember = useRememberUser();
  const create = useMutation({
    mutationFn: (draft: UserDraft) => api.post<UserResponse>('/users', createBody(draft)),
    onSuccess: (user) => {
      remember(user);
      navigate(`/users/${user.id}`, { state: { created: true } satisfies CreatedState });
    },
  });
  return (
    <section aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      <UserForm
        initial={NEW_USER}
        labelledBy="create-user-title"
        submitLabel="Create user"
        pendingLabel="Creating…"
        pending={create.isPending}
        onSubmit={(draft) => create.mutate(draft)}
        refused={create.error}
      >
        {create.error && <ErrorMessage error={create.error} title="The user was not created." />}
      </UserForm>
    </section>
  );
}
