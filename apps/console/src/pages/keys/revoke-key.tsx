import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { KeyResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { keyLabel, keyListKey } from './keys-query';

/**
 * Revoking is final (every edge refuses the key at once), so it takes two
 * clicks: "Revoke", then "Yes, revoke <name>" — a button a test can drive,
 * not a window.confirm.
 */
export function RevokeKey({ apiKey, onRevoked }: { apiKey: KeyResponse; onRevoked: (key: KeyResponse) => void }) {
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const label = keyLabel(apiKey);
  const revoke = useMutation({
    mutationFn: () => api.post<KeyResponse>(`/keys/${apiKey.id}/revoke`, {}),
    onSuccess: (revoked) => {
      setConfirming(false);
      onRevoked(revoked);
      void queries.invalidateQueries({ queryKey: keyListKey(apiKey.user_id) });
    },
  });

  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Revoke ${label}`}>
        Revoke
      </button>
    );
  }
  return (
    <div className="revoke-confirm">
      <p>Every request with {label} will be refused. This cannot be undone.</p>
      <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
        {revoke.isPending ? 'Revoking…' : `Yes, revoke ${label}`}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={revoke.isPending}
        onClick={() => {
          setConfirming(false);
          revoke.reset();
        }}
      >
        Cancel
      </button>
      {revoke.error && <ErrorMessage error={revoke.error} title={`${label} was not revoked.`} />}
    </div>
  );
}
