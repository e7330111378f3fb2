import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { UserResponse, UserUpdate } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { useRememberUser } from './user-cache';
import { draftOf, UserForm, type UserDraft } from './user-form';

/**
 * Only the fields the admin changed: a PATCH of the others would overwrite
 * a change someone else saved meanwhile. An emptied e-mail is removed (null).
 */
export function changesOf(user: UserResponse, draft: UserDraft): UserUpdate {
  const saved = draftOf(user);
  const changes: UserUpdate = {};
  if (draft.name !== saved.name) changes.name = draft.name;
  if (draft.email !== saved.email) changes.email = draft.email || null;
  if (draft.role !== saved.role) changes.role = draft.role;
  if (draft.group !== saved.group) changes.group = draft.group;
  return changes;
}

/** The name, e-mail, role and group of a user, saved with one PATCH of what changed. */
export function EditUser({ user }: { user: UserResponse }) {
  const remember = useRememberUser();
  // What the last submit did, for the notice: the fields saved, or none because none had changed.
  const [savedFields, setSavedFields] = useState<string[] | null>(null);
  const update = useMutation({
    mutationFn: (changes: UserUpdate) => api.patch<UserResponse>(`/users/${user.id}`, changes),
    onSuccess: (answer, changes) => {
      remember(answer);
      setSavedFields(Object.keys(changes));
    },
  });

  const savedDraft = draftOf(user);

  function submit(draft: UserDraft) {
    const changes = changesOf(user, draft);
    update.reset();
    if (Object.keys(changes).length === 0) {
      setSavedFields([]);
      return;
    }
    setSavedFields(null);
    update.mutate(changes);
  }

  return (
    <section aria-labelledby="edit-user-title">
      <h2 id="edit-user-title">Edit</h2>
      <UserForm
        // A fresh form when the saved fields change, so it shows what the API now holds; a suspension
        // (which changes none of them) leaves what the admin is typing alone.
        key={JSON.stringify(savedDraft)}
        initial={savedDraft}
        labelledBy="edit-user-title"
        submitLabel="Save changes"
        pendingLabel="Saving…"
        pending={update.isPending}
        onSubmit={submit}
        refused={update.error}
      >
        {update.error && <ErrorMessage error={update.error} title="The user was not saved." />}
        {savedFields && (
          <p className="notice" role="status">
            {savedFields.length === 0 ? 'Nothing to save: no field was changed.' : `Saved: ${savedFields.join(', ')}.`}
          </p>
        )}
      </UserForm>
    </section>
  );
}
