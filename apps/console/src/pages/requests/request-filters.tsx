import { useState, type FormEvent } from 'react';
import type { REQUEST_OUTCOMES, RequestLogQuery } from '@tollgate/contracts';
import { DateRangeFields } from '../../components/date-range-fields';
import { Field } from '../../components/field';

/**
 * The request log's filters, named as the API's query (RequestLogQuery) and
 * as the page's URL (`/requests?user_id=…`), so another page can link to a
 * filtered log and a filtered log can be bookmarked or shared.
 */
const FILTER_NAMES = [
  'user_id',
  'key_id',
  'model',
  'channel_id',
  'status',
  'from',
  'to',
] as const satisfies readonly (keyof RequestLogQuery)[];

type FilterName = (typeof FILTER_NAMES)[number];

/** Each filter as text; '' when not set (adminUrl leaves those out of the query). */
export type RequestFilters = Record<FilterName, string>;

type Outcome = (typeof REQUEST_OUTCOMES)[number];
/** Mirrors REQUEST_OUTCOMES of the contracts (a value, so not imported): the status filter's words. */
const OUTCOMES = { ok: 'Succeeded (charged)', failed: 'Failed (released)' } as const satisfies Record<Outcome, string>;
const isOutcome = (status: string): status is Outcome => Object.hasOwn(OUTCOMES, status);

/** The filters a URL's query sets (`?user_id=…&status=failed`); any other parameter is ignored. */
export function filtersOf(search: URLSearchParams): RequestFilters {
  const entries = FILTER_NAMES.map((name) => [name, search.get(name)?.trim() ?? ''] as const);
  return Object.fromEntries(entries) as RequestFilters;
}

/** The filters that are set, as a URL query: `{user_id: 'u', model: ''}` → `{user_id: 'u'}`. */
export function setFilters(filters: RequestFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== ''));
}

/**
 * The status filter as two controls: a choice of any, succeeded, failed or
 * one HTTP status, and the status itself when that is the choice.
 */
type StatusChoice = '' | Outcome | 'http';
const choiceOf = (status: string): StatusChoice => (status === '' || isOutcome(status) ? status : 'http');

/**
 * The filter form. It applies on submit, not on every keystroke; the page
 * gives it a fresh key whenever the applied filters change (the back button,
 * a link), so it always starts from what the log shows.
 */
export function RequestFilterForm({
  applied,
  onApply,
}: {
  applied: RequestFilters;
  onApply: (filters: RequestFilters) => void;
}) {
  const [draft, setDraft] = useState(applied);
  const [statusChoice, setStatusChoice] = useState(choiceOf(applied.status));
  const [httpStatus, setHttpStatus] = useState(choiceOf(applied.status) === 'http' ? applied.status : '');
  const set = (name: FilterName) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const status = statusChoice === 'http' ? httpStatus.trim() : statusChoice;
    const trimmed = Object.fromEntries(Object.entries(draft).map(([name, value]) => [name, value.trim()]));
    onApply({ ...(trimmed as RequestFilters), status });
  };

  const text = (name: FilterName, label: string, hint: string, inputMode?: 'numeric') => (
    <Field label={label} hint={hint}>
      {(props) => (
        <input
          {...props}
          name={name}
          inputMode={inputMode}
          autoComplete="off"
          value={draft[name]}
          onChange={(e) => set(name)(e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={submit} aria-label="Request log filters">
      <div className="request-filters">
        {text('user_id', 'User id', 'A UUID')}
        {text('key_id', 'Key id', 'A UUID')}
        {text('model', 'Model', 'As the client asked for it')}
        {text('channel_id', 'Channel id', 'A number', 'numeric')}
        <Field label="Status">
          {(props) => (
            <select
              {...props}
              name="status"
              value={statusChoice}
              onChange={(e) => setStatusChoice(e.target.value as StatusChoice)}
            >
              <option value="">Any</option>
              {Object.entries(OUTCOMES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
              <option value="http">One HTTP status…</option>
            </select>
          )}
        </Field>
        {statusChoice === 'http' && (
          <Field label="HTTP status" hint="Three digits, e.g. 502">
            {(props) => (
              <input
                {...props}
                name="http_status"
                inputMode="numeric"
                pattern="[0-9]{3}"
                required
                value={httpStatus}
                onChange={(e) => setHttpStatus(e.target.value)}
              />
            )}
          </Field>
        )}
        <DateRangeFields from={draft.from} to={draft.to} what="Settled" onChange={(name, value) => set(name)(value)} />
      </div>
      <button type="submit">Show requests</button>
    </form>
  );
}
