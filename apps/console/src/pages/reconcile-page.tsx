import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { Loading } from '../components/loading';
import { Money } from '../money/money-amount';

/** GET /admin/v1/reconcile as the admin API answers it (libs/contracts ReconcileResponse). */
interface ReconcileReport {
  checked_at: string;
  ok: boolean;
  accounts: number;
  keys: number;
  differences: {
    kind: string;
    user_id: string | null;
    key_id: string | null;
    recorded: string;
    expected: string;
    difference: string;
  }[];
  accounts_without_user: { user_id: string; balance: string; held: string }[];
  pending_admissions: number | null;
}

/**
 * Billing: every balance checked against its ledger and open holds. Run on
 * demand (a button), not on every visit: it reads every account.
 */
export function ReconcilePage() {
  const report = useQuery({
    queryKey: ['reconcile'],
    queryFn: ({ signal }) => call<ReconcileReport>('GET', '/reconcile', { signal }),
    enabled: false,
    retry: false,
  });
  return (
    <>
      <p>Checks every account's balance against its ledger and open holds, and lists any difference.</p>
      <button type="button" onClick={() => void report.refetch()} disabled={report.isFetching}>
        Reconcile now
      </button>
      {report.isFetching && <Loading label="Reconciling…" />}
      {report.error && <ErrorMessage error={report.error} title="Reconciliation failed" />}
      {report.data && !report.isFetching && <ReconcileResult report={report.data} />}
    </>
  );
}

function ReconcileResult({ report }: { report: ReconcileReport }) {
  return (
    <section aria-label="Reconciliation result">
      <p className={report.ok ? 'ok' : 'error'} role="status">
        {report.ok
          ? `The books balance: ${report.accounts} account(s) and ${report.keys} key budget(s) match their ledgers.`
          : `Differences found: ${report.differences.length} difference(s), ${report.accounts_without_user.length} account(s) without a user.`}
      </p>
      <p>
        Checked at {new Date(report.checked_at).toISOString().replace('T', ' ').slice(0, 19)} UTC
        {report.pending_admissions !== null && `; admissions not yet recorded as holds: ${report.pending_admissions}`}.
      </p>
      {report.differences.length > 0 && (
        <table>
          <caption>Differences</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">User</th>
              <th scope="col">Key</th>
              <th scope="col">Recorded</th>
              <th scope="col">Expected</th>
              <th scope="col">Difference</th>
            </tr>
          </thead>
          <tbody>
            {report.differences.map((row, index) => (
              <tr key={index}>
                <td>{row.kind}</td>
                <td>{row.user_id ?? '—'}</td>
                <td>{row.key_id ?? '—'}</td>
                <td>
                  <Money amount={row.recorded} />
                </td>
                <td>
                  <Money amount={row.expected} />
                </td>
                <td>
                  <Money amount={row.difference} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.accounts_without_user.length > 0 && (
        <table>
          <caption>Accounts without a user</caption>
          <thead>
            <tr>
              <th scope="col">User id</th>
              <th scope="col">Balance</th>
              <th scope="col">Held</th>
            </tr>
          </thead>
          <tbody>
            {report.accounts_without_user.map((row) => (
              <tr key={row.user_id}>
                <td>{row.user_id}</td>
                <td>
                  <Money amount={row.balance} />
                </td>
                <td>
                  <Money amount={row.held} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
