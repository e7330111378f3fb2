import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { UserResponse, UserStatus } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { useSession } from '../../session/session-context';
import { useRememberUser } from './user-cache';
import { STATUSES } from './roles';

/**
 * Suspend or reactivate a user. Either takes effect on every key of theirs
 * at once, so the first button only asks, and a second one, naming the
 * user, does it.
 */
export function UserStatusSection({ user }: { user: UserResponse }) {
  const session = useSession();
  const remember = useRememberUser();
  const [confirming, setConfirming] = useState(false);
  const status = STATUSES[user.status];
  const suspending = status.next === 'suspended';
  const setStatus = useMutation({
    mutationFn: (next: UserStatus) => api.patch<UserResponse>(`/users/${user.id}`, { status: next }),
    onSuccess: (answer) => {
      remember(answer);
      setConfirming(false);
    },
  });

  return (
    <section aria-labelledby="user-status-title">
      <h2 id="user-status-title">Status</h2>
      <p>{status.now}</p>
      {confirming ? (
        <div role="group" aria-label={`${status.action} ${user.name}?`} className="confirm">
          <p>{status.explain}</p>
          {user.id === session.user.id && (
            <p>
              <strong>This is you:</strong> the key you signed in with is one of them.
            </p>
          )}
          <button
            type="button"
            className={suspending ? 'danger' : undefined}
            disabled={setStatus.isPending}
            onClick={() => setStatus.mutate(status.next)}
          >
            {setStatus.isPending ? 'Applying…' : `Yes, ${status.action.toLowerCase()} ${user.name}`}
          </button>
          {/* Focus lands on the way back, so a second Enter does not suspend anyone by accident. */}
          <button
            type="button"
            className="secondary"
            autoFocus
            disabled={setStatus.isPending}
            onClick={() => {
              setConfirming(false);
              setStatus.reset();
            }}
          >
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          className={suspending ? 'danger' : undefined}
          onClick={() => {
            setStatus.reset();
            setConfirming(true);
          }}
        >
          {status.action}
        </button>
      )}
      {setStatus.error && (
        <ErrorMessage
          error={setStatus.error}
          title={`${user.name} was not ${STATUSES[status.next].reached.toLowerCase()}.`}
        />
      )}
      {setStatus.data && !confirming && (
        <p className="notice" role="status">
          {STATUSES[setStatus.data.status].reached} {setStatus.data.name}.
        </p>
      )}
    </section>
  );
}
