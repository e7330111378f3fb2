import { useQuery } from '@tanstack/react-query';
import type { LedgerList } from '@tollgate/contracts';
import { useState, type FormEvent } from 'react';
import { useSearch } from 'wouter';
import { api, type Query } from '../api/client';
import { CsvExportButton } from '../components/csv-export-button';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { DateRangeFields } from '../components/date-range-fields';
import { Field } from '../components/field';
import { Loading } from '../components/loading';
import { Pager, useCursorPages } from '../components/pager';
import { Money } from '../money/money-amount';
import './ledger/ledger.css';

/** The entry types the API filters by (LEDGER_ENTRY_TYPES of the contracts: a value, so not imported here). */
const ENTRY_TYPES = ['topup', 'adjustment', 'hold', 'charge', 'release', 'expiry'] as const;

interface LedgerFilters {
  userId: string;
  type: string;
  from: string;
  to: string;
  tid: string;
}

/** The filters as the API's query (LedgerQuery): empty ones left out by adminUrl. */
const queryOf = (filters: LedgerFilters): Query => ({
  type: filters.type,
  from: filters.from,
  to: filters.to,
  tid: filters.tid,
});

/**
 * Billing: one customer's ledger, newest first. The filters apply on
 * submit (not on every keystroke), and a new filter starts from page one.
 * `?user_id=` opens a customer's ledger directly (a customer page links
 * here), and `&tid=` the lines one request or staff call wrote.
 */
export function LedgerPage() {
  const search = new URLSearchParams(useSearch());
  const initialUser = search.get('user_id') ?? '';
  const [draft, setDraft] = useState<LedgerFilters>({
    userId: initialUser,
    type: '',
    from: '',
    to: '',
    tid: search.get('tid') ?? '',
  });
  const [applied, setApplied] = useState<LedgerFilters | null>(initialUser ? draft : null);
  const pages = useCursorPages();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setApplied({ ...draft, userId: draft.userId.trim(), tid: draft.tid.trim() });
  };
  const set = (name: keyof LedgerFilters) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));

  return (
    <>
      <form className="ledger-filters" onSubmit={submit} aria-label="Ledger filters">
        <Field label="User id" hint="The customer's id (a UUID)">
          {(props) => (
            <input
              {...props}
              name="user_id"
              required
              value={draft.userId}
              onChange={(e) => set('userId')(e.target.value)}
            />
          )}
        </Field>
        <Field label="Type">
          {(props) => (
            <select {...props} name="type" value={draft.type} onChange={(e) => set('type')(e.target.value)}>
              <option value="">All types</option>
              {ENTRY_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateRangeFields
          from={draft.from}
          to={draft.to}
          what="Entries created"
          onChange={(name, value) => set(name)(value)}
        />
        <Field label="tid" hint="Only the lines written under this tid: a request the customer quotes, a staff change">
          {(props) => (
            <input
              {...props}
              name="tid"
              autoComplete="off"
              spellCheck={false}
              value={draft.tid}
              onChange={(e) => set('tid')(e.target.value)}
            />
          )}
        </Field>
        <button type="submit">Show ledger</button>
      </form>
      {applied && <LedgerTable filters={applied} pages={pages} />}
    </>
  );
}

function LedgerTable({ filters, pages }: { filters: LedgerFilters; pages: ReturnType<typeof useCursorPages> }) {
  const path = `/users/${encodeURIComponent(filters.userId)}/ledger`;
  const query = queryOf(filters);
  const ledger = useQuery({
    queryKey: ['ledger', filters, pages.cursor],
    queryFn: ({ signal }) => api.get<LedgerList>(path, { ...query, cursor: pages.cursor }, signal),
    retry: false,
  });

  if (ledger.isPending) return <Loading label="Loading the ledger…" />;
  if (ledger.error) return <ErrorMessage error={ledger.error} title="The ledger could not be read" />;
  const entries = ledger.data.data;
  return (
    <section aria-label="Ledger entries">
      <CsvExportButton path={path} query={query} fileName={`ledger-${filters.userId}.csv`} noun="entries" />
      {entries.length === 0 ? (
        <p role="status">No ledger entries match these filters.</p>
      ) : (
        <table className="ledger-table">
          <caption>Ledger of {entries[0]?.user_name ?? filters.userId}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">Amount</th>
              <th scope="col">Balance after</th>
              <th scope="col">Actor</th>
              <th scope="col">Reason</th>
              <th scope="col">Tid</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <DateTime value={entry.created_at} />
                </td>
                <td>{entry.type}</td>
                <td className="number">
                  <Money amount={entry.amount} />
                </td>
                <td className="number">
                  <Money amount={entry.balance_after} />
                </td>
                <td>{entry.actor_name ?? entry.actor}</td>
                <td>{entry.reason ?? '—'}</td>
                <td className="tid">{entry.tid ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pages={pages} nextCursor={ledger.data.next_cursor} busy={ledger.isFetching} label="Ledger pages" />
    </section>
  );
}
