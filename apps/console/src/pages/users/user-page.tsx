import { Link } from 'wouter';
import { useHistoryState } from 'wouter/use-browser-location';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import type { CreatedState } from './create-user';
import { EditUser } from './edit-user';
import { useUser } from './user-cache';
import { UserStatusSection } from './user-status';

/** One user as an admin manages them: the facts, the edit form, suspension, and the way to their keys. */
export function UserPage({ userId }: { userId: string }) {
  const user = useUser(userId);
  // Set by the create form when it opens this page for the user it just made.
  const justCreated = useHistoryState<CreatedState | null>()?.created === true;
  if (user.isPending) return <Loading label="Loading the user…" />;
  if (user.error) return <ErrorMessage error={user.error} title="Could not open this user." />;
  const shown = user.data;
  // Said until the first change: after that, the page's other notices say what happened last.
  const created = justCreated && shown.updated_at === shown.created_at;
  return (
    <>
      <p>
        <Link href="/users">← All users</Link>
      </p>
      <h2>{shown.name}</h2>
      {created && (
        <p className="notice" role="status">
          Created {shown.name}. They have no key yet: create one on their keys page.
        </p>
      )}
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>{shown.email ?? '—'}</dd>
        <dt>Role</dt>
        <dd>{shown.role}</dd>
        <dt>Group</dt>
        <dd>{shown.group}</dd>
        <dt>Status</dt>
        <dd>{shown.status}</dd>
        <dt>User id</dt>
        <dd>
          <code>{shown.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          <DateTime value={shown.created_at} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <DateTime value={shown.updated_at} />
        </dd>
      </dl>
      <ul className="user-links">
        <li>
          <Link href={`/keys/${shown.id}`}>Manage this user's keys</Link>
        </li>
        <li>
          <Link href={`/customers/${shown.id}`}>Open as customer</Link>
          <span className="hint"> — balance, top-ups, usage</span>
        </li>
      </ul>
      <div className="user-sections">
        <EditUser user={shown} />
        <UserStatusSection user={shown} />
      </div>
    </>
  );
}
