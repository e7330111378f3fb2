import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreatedKeyResponse, KeyResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { CreatedKeyNotice } from './created-key-notice';
import { KeyForm } from './key-form';
import { keyLabel, keyListKey } from './keys-query';

/** A new key for the user, with any restrictions; the key itself is shown once, in a notice. */
export function CreateKey({ userId }: { userId: string }) {
  const queries = useQueryClient();
  const [created, setCreated] = useState<{ label: string; secret: string } | null>(null);
  // A fresh form after each key, so the next one starts from empty fields.
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    // The answer's `key` goes to this component's state only: what the mutation keeps (and react-query
    // caches) is the key as lists show it, without the secret.
    mutationFn: async (body: Record<string, unknown>): Promise<KeyResponse> => {
      const { key: secret, ...listed } = await api.post<CreatedKeyResponse>(`/users/${userId}/keys`, body);
      setCreated({ label: keyLabel(listed), secret });
      return listed;
    },
    onMutate: () => setCreated(null),
    onSuccess: () => {
      setFormKey((k) => k + 1);
      void queries.invalidateQueries({ queryKey: keyListKey(userId) });
    },
  });

  return (
    <section aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      {created && <CreatedKeyNotice label={created.label} secret={created.secret} onHide={() => setCreated(null)} />}
      <KeyForm
        key={formKey}
        label="Create a key"
        submitLabel="Create key"
        pendingLabel="Creating…"
        pending={create.isPending}
        onSubmit={(body) => create.mutate(body)}
        refused={create.error}
      >
        {create.error && <ErrorMessage error={create.error} title="The key was not created." />}
      </KeyForm>
    </section>
  );
}
