import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { KeyResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { KeyForm } from './key-form';
import { keyLabel, keyListKey } from './keys-query';

/** A key's restrictions changed (PATCH), with the same fields as a new key; an emptied field takes its restriction away. */
export function EditKey({ apiKey, onClose }: { apiKey: KeyResponse; onClose: () => void }) {
  const queries = useQueryClient();
  const label = keyLabel(apiKey);
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.patch<KeyResponse>(`/keys/${apiKey.id}`, body),
    onSuccess: () => void queries.invalidateQueries({ queryKey: keyListKey(apiKey.user_id) }),
  });

  return (
    <section aria-labelledby="edit-key-title">
      <h2 id="edit-key-title">Change {label}</h2>
      <KeyForm
        initial={apiKey}
        label={`Change ${label}`}
        submitLabel="Save changes"
        pendingLabel="Saving…"
        pending={update.isPending}
        onSubmit={(body) => update.mutate(body)}
        refused={update.error}
        actions={
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        }
      >
        {update.error && <ErrorMessage error={update.error} title="The changes were not saved." />}
        {update.isSuccess && (
          <p className="notice applied" role="status">
            <strong>Saved</strong> the changes to {keyLabel(update.data)}.
          </p>
        )}
      </KeyForm>
    </section>
  );
}
