import type { KeyResponse } from '@tollgate/contracts';
import { DateTime } from '../../components/date-time';
import { Money } from '../../money/money-amount';
import { RevokeKey } from './revoke-key';
import { keyLabel } from './keys-query';

const listText = (items: string[] | null, none: string) => (items && items.length > 0 ? items.join(', ') : none);

/** An active key past its expiry is refused like a revoked one: the list says so (a change of expiry revives it). */
const statusOf = (key: KeyResponse): string =>
  key.status === 'active' && key.expires_at !== null && Date.parse(key.expires_at) <= Date.now()
    ? 'expired'
    : key.status;

/** A user's keys, as the admin API lists them (never the key itself: its prefix and last six characters). */
export function KeysTable({
  keys,
  onEdit,
  onRevoked,
}: {
  keys: KeyResponse[];
  onEdit: (key: KeyResponse) => void;
  onRevoked: (key: KeyResponse) => void;
}) {
  if (keys.length === 0) return <p>This user has no API key yet.</p>;
  return (
    <div className="table-scroll">
      <table className="keys-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Status</th>
            <th scope="col">Allowed models</th>
            <th scope="col">IP ranges</th>
            <th scope="col" className="num">
              Budget
            </th>
            <th scope="col" className="num">
              RPM
            </th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>{key.name || <span className="hint">unnamed</span>}</td>
              <td>
                <code aria-label={`${key.prefix}, ending in ${key.last6}`}>
                  {key.prefix}…{key.last6}
                </code>
              </td>
              <td>{statusOf(key)}</td>
              <td>{listText(key.allowed_models, 'every model')}</td>
              <td>{listText(key.allowed_ip_ranges, 'any address')}</td>
              <td className="num">{key.budget === null ? 'none' : <Money amount={key.budget} />}</td>
              <td className="num">{key.rpm_limit ?? 'default'}</td>
              <td>{key.expires_at ? <DateTime value={key.expires_at} /> : 'never'}</td>
              <td>
                <DateTime value={key.last_used_at} />
              </td>
              <td>
                {key.status === 'active' && (
                  <div className="key-actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => onEdit(key)}
                      aria-label={`Change ${keyLabel(key)}`}
                    >
                      Change
                    </button>
                    <RevokeKey apiKey={key} onRevoked={onRevoked} />
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
