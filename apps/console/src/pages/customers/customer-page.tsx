import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { BalanceResponse, GrantList, HoldList, KeyList, UserResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { QuerySection } from '../../components/query-section';
import { Money } from '../../money/money-amount';
import { sumMoney } from '../../money/money';
import { MoneyForm } from './money-form';
import { UsageSection } from './usage-section';
import './customers.css';

/** One admin API read of the customer's, cached under ['customer', id] so a top-up refreshes them all. */
function useCustomerRead<T>(userId: string, part: string, path: string) {
  return useQuery({
    queryKey: ['customer', userId, part],
    queryFn: ({ signal }) => api.get<T>(path, undefined, signal),
  });
}

/** A customer as billing staff see them: balance, what is held and lent, keys, usage, and the money forms. */
export function CustomerPage({ userId }: { userId: string }) {
  const user = useCustomerRead<UserResponse>(userId, 'user', `/users/${userId}`);
  if (user.isPending) return <Loading label="Loading the customer…" />;
  if (user.error) return <ErrorMessage error={user.error} title="Could not open this customer." />;
  const customer = user.data;
  return (
    <>
      <p>
        <Link href="/customers">← All customers</Link>
      </p>
      <h2>{customer.name}</h2>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>{customer.email ?? '—'}</dd>
        <dt>Role</dt>
        <dd>{customer.role}</dd>
        <dt>Group</dt>
        <dd>{customer.group}</dd>
        <dt>Status</dt>
        <dd>{customer.status}</dd>
        <dt>User id</dt>
        <dd>
          <code>{customer.id}</code>
        </dd>
      </dl>
      <BalanceSection userId={userId} />
      <section aria-labelledby="money-title" className="money-forms">
        <h2 id="money-title" className="visually-hidden">
          Change the balance
        </h2>
        <MoneyForm userId={userId} kind="topup" />
        <MoneyForm userId={userId} kind="adjustment" />
      </section>
      <ul className="see-also">
        <li>
          <Link href={`/ledger?user_id=${userId}`}>Open this customer's ledger</Link>
        </li>
        <li>
          <Link href={`/requests?user_id=${userId}`}>Open this customer's requests</Link>
        </li>
      </ul>
      <HoldsSection userId={userId} />
      <GrantsSection userId={userId} />
      <KeysSection userId={userId} />
      <UsageSection userId={userId} />
    </>
  );
}

function BalanceSection({ userId }: { userId: string }) {
  const balance = useCustomerRead<BalanceResponse>(userId, 'balance', `/users/${userId}/balance`);
  return (
    <QuerySection id="balance" title="Balance" query={balance} failure="Could not read the balance.">
      {(amounts) => (
        <dl className="facts balance">
          <dt>Balance</dt>
          <dd>
            <Money amount={amounts.balance} />
          </dd>
          <dt>Held by requests in flight</dt>
          <dd>
            <Money amount={amounts.held} />
          </dd>
          <dt>Granted to edges, unused</dt>
          <dd>
            <Money amount={amounts.granted} />
          </dd>
          <dt>Available</dt>
          <dd>
            <Money amount={amounts.available} />
          </dd>
        </dl>
      )}
    </QuerySection>
  );
}

function HoldsSection({ userId }: { userId: string }) {
  const holds = useCustomerRead<HoldList>(userId, 'holds', `/users/${userId}/holds`);
  return (
    <QuerySection id="holds" title="Open holds" query={holds} failure="Could not list the holds.">
      {({ data: rows }) =>
        rows.length === 0 ? (
          <p>No request holds money now.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Since</th>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Expires</th>
                  <th scope="col">tid</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((hold) => (
                  <tr key={hold.id}>
                    <td>
                      <DateTime value={hold.created_at} />
                    </td>
                    <td>{hold.model}</td>
                    <td className="num">
                      <Money amount={hold.amount} />
                    </td>
                    <td>
                      <DateTime value={hold.expires_at} />
                    </td>
                    <td>
                      <code>{hold.tid ?? '—'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QuerySection>
  );
}

function GrantsSection({ userId }: { userId: string }) {
  const grants = useCustomerRead<GrantList>(userId, 'grants', `/users/${userId}/grants`);
  return (
    <QuerySection id="grants" title="Credit grants" query={grants} failure="Could not list the grants.">
      {({ data: rows }) =>
        rows.length === 0 ? (
          <p>No edge holds a grant of this customer's balance.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption>
                Granted <Money amount={sumMoney(rows.map((grant) => grant.amount))} />, unused{' '}
                <Money amount={sumMoney(rows.map((grant) => grant.unused))} />
              </caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Granted
                  </th>
                  <th scope="col" className="num">
                    Drawn
                  </th>
                  <th scope="col" className="num">
                    Unused
                  </th>
                  <th scope="col">Expires</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((grant) => (
                  <tr key={grant.id}>
                    <td>{grant.model}</td>
                    <td>{grant.status}</td>
                    <td className="num">
                      <Money amount={grant.amount} />
                    </td>
                    <td className="num">
                      <Money amount={grant.drawn} />
                    </td>
                    <td className="num">
                      <Money amount={grant.unused} />
                    </td>
                    <td>
                      <DateTime value={grant.expires_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QuerySection>
  );
}

function KeysSection({ userId }: { userId: string }) {
  const keys = useCustomerRead<KeyList>(userId, 'keys', `/users/${userId}/keys`);
  return (
    <QuerySection id="keys" title="API keys" query={keys} failure="Could not list the keys.">
      {({ data: rows }) =>
        rows.length === 0 ? (
          <p>This customer has no API key.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Budget
                  </th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((key) => (
                  <tr key={key.id}>
                    <td>{key.name || <span className="hint">unnamed</span>}</td>
                    <td>
                      <code aria-label={`ending in ${key.last6}`}>…{key.last6}</code>
                    </td>
                    <td>{key.status}</td>
                    <td className="num">{key.budget === null ? 'none' : <Money amount={key.budget} />}</td>
                    <td>{key.expires_at ? <DateTime value={key.expires_at} /> : 'never'}</td>
                    <td>
                      <DateTime value={key.last_used_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QuerySection>
  );
}
