import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { RequestLogEntryResponse, RequestLogList } from '@tollgate/contracts';
import { adminUrl, api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { Pager, useCursorPages } from '../../components/pager';
import { QuerySection } from '../../components/query-section';
import { Money } from '../../money/money-amount';
import { setFilters, type RequestFilters } from './request-filters';
import { tracePath } from './tid-form';

/**
 * The settled requests matching the filters, newest first, 50 a page (the
 * API's default), and the same filter as one CSV download. The page gives
 * it a fresh key for each filter, so a new filter starts from page one.
 */
export function RequestLog({ filters }: { filters: RequestFilters }) {
  const pages = useCursorPages();
  const query = setFilters(filters);
  const requests = useQuery({
    queryKey: ['requests', query, pages.cursor],
    queryFn: ({ signal }) => api.get<RequestLogList>('/requests', { ...query, cursor: pages.cursor }, signal),
  });
  // Every matching request, not just this page: the export pages through the filter itself.
  // The session cookie rides along on a same-origin link.
  const csvHref = adminUrl('/requests', { ...query, format: 'csv' });

  return (
    <QuerySection id="request-log" title="Settled requests" query={requests} failure="Could not list the requests.">
      {({ data: rows, next_cursor }) => (
        <>
          <p>
            <a href={csvHref} download>
              Download CSV
            </a>{' '}
            <span className="hint">every request matching these filters, newest first</span>
          </p>
          {rows.length === 0 ? (
            <p role="status">No settled request matches these filters.</p>
          ) : (
            <div className="table-scroll">
              <table className="request-table">
                <caption>Newest first{pages.page > 1 && `, page ${pages.page}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Settled</th>
                    <th scope="col">tid</th>
                    <th scope="col">User</th>
                    <th scope="col">Model</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Tokens in / out
                    </th>
                    <th scope="col" className="num">
                      Cost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <RequestRow key={row.id} row={row} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager pages={pages} nextCursor={next_cursor} busy={requests.isFetching} label="Request log pages" />
        </>
      )}
    </QuerySection>
  );
}

function RequestRow({ row }: { row: RequestLogEntryResponse }) {
  return (
    <tr>
      <td className="settled">
        <DateTime value={row.created_at} />
      </td>
      <td className="tid-cell">
        {row.tid ? (
          <Link href={tracePath(row.tid)}>
            <code>{row.tid}</code>
          </Link>
        ) : (
          '—'
        )}
      </td>
      <td className="user">
        <UserName id={row.user_id} name={row.user_name} />
      </td>
      <td>{row.model}</td>
      <td className="short">
        <ChannelName id={row.channel_id} />
      </td>
      <td className="short">
        <RequestStatus row={row} />
      </td>
      <td className="num">
        {row.input_tokens} / {row.output_tokens}
      </td>
      <td className="num">
        <Money amount={row.cost} />
      </td>
    </tr>
  );
}

/** A user's name (a link to their customer page) beside the id; "unknown" for an id auth does not know. */
export function UserName({ id, name }: { id: string; name: string | null }) {
  return (
    <>
      {name === null ? <span className="hint">unknown user</span> : <Link href={`/customers/${id}`}>{name}</Link>}{' '}
      <code className="id">{id}</code>
    </>
  );
}

/** The channel that answered last: billing staff see its id only (the channels are the admins'). */
export function ChannelName({ id }: { id: number | null }) {
  return id === null ? <span className="hint">none called</span> : <>#{id}</>;
}

/** "200 ok" or "502 failed": the HTTP status the client got, and whether the request was charged. */
export function RequestStatus({ row }: { row: Pick<RequestLogEntryResponse, 'status' | 'succeeded'> }) {
  return (
    <span className={row.succeeded ? 'request-ok' : 'request-failed'}>
      {row.status} {row.succeeded ? 'ok' : 'failed'}
    </span>
  );
}
