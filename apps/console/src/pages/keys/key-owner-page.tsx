import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { KeyResponse, UserResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { QuerySection } from '../../components/query-section';
import { CreateKey } from './create-key';
import { EditKey } from './edit-key';
import { KeysTable } from './keys-table';
import { keyLabel, useKeyList } from './keys-query';
import './keys.css';

/** One user's keys: the list, a new key, a key's restrictions changed, a key revoked. */
export function KeyOwnerPage({ userId }: { userId: string }) {
  const owner = useQuery({
    queryKey: ['keys', userId, 'owner'],
    queryFn: ({ signal }) => api.get<UserResponse>(`/users/${userId}`, undefined, signal),
  });
  const keys = useKeyList(userId);
  const [editing, setEditing] = useState<KeyResponse | null>(null);
  const [revoked, setRevoked] = useState<KeyResponse | null>(null);

  if (owner.isPending) return <Loading label="Loading the user…" />;
  if (owner.error) return <ErrorMessage error={owner.error} title="Could not open this user." />;

  function revokedNow(key: KeyResponse) {
    setRevoked(key);
    if (editing?.id === key.id) setEditing(null);
  }

  return (
    <>
      <p>
        <Link href="/keys">← Find another owner</Link>
      </p>
      <h2>Keys of {owner.data.name}</h2>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>{owner.data.email ?? '—'}</dd>
        <dt>Role</dt>
        <dd>{owner.data.role}</dd>
        <dt>Status</dt>
        <dd>{owner.data.status}</dd>
        <dt>User id</dt>
        <dd>
          <code>{owner.data.id}</code>
        </dd>
      </dl>
      <QuerySection id="keys" title="API keys" query={keys} failure="Could not list the keys.">
        {({ data }) => (
          <>
            {revoked && (
              <p className="notice applied" role="status">
                <strong>Revoked</strong> {keyLabel(revoked)}: every edge refuses it now.
              </p>
            )}
            <KeysTable
              keys={data}
              onEdit={(key) => {
                setRevoked(null);
                setEditing(key);
              }}
              onRevoked={revokedNow}
            />
          </>
        )}
      </QuerySection>
      {editing && <EditKey key={editing.id} apiKey={editing} onClose={() => setEditing(null)} />}
      <CreateKey userId={userId} />
    </>
  );
}
