import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { RequestTraceResponse } from '@tollgate/contracts';
import { ApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { QuerySection } from '../../components/query-section';
import { Money } from '../../money/money-amount';
import { ChannelName, RequestStatus, UserName } from './request-log';
import { TidForm } from './tid-form';

type Settled = RequestTraceResponse['requests'][number];

/**
 * What happened to the request a customer quotes by its tid: the request as
 * it was settled, the hold it was admitted on, and its ledger lines. A tid
 * normally names one request; a client that sent the same traceparent
 * twice has several, each shown in turn, oldest first.
 */
export function RequestTrace({ tid }: { tid: string }) {
  const trace = useQuery({
    queryKey: ['request-trace', tid],
    queryFn: ({ signal }) => api.get<RequestTraceResponse>(`/requests/${encodeURIComponent(tid)}`, undefined, signal),
  });
  const notFound = trace.error instanceof ApiError && trace.error.status === 404;

  return (
    <>
      <p>
        <Link href="/requests">← Request log</Link>
      </p>
      <QuerySection
        id="trace"
        title={
          <>
            Request <code className="tid-title">{tid}</code>
          </>
        }
        query={trace}
        failure="No request to show for this tid."
      >
        {({ requests }) =>
          requests.map((settled, index) => (
            <SettledRequest
              key={settled.request.id}
              settled={settled}
              of={requests.length > 1 ? ` ${index + 1} of ${requests.length}` : ''}
            />
          ))
        }
      </QuerySection>
      {notFound && (
        <p className="hint">
          A request is here once it is settled: one refused before it held any money, or still in flight, is not.
        </p>
      )}
      <TidForm label="Find another request by tid" />
    </>
  );
}

/** One settled request, its hold and its ledger lines; `of` numbers it when the tid has several (" 1 of 2"). */
function SettledRequest({ settled: { request, hold, ledger }, of }: { settled: Settled; of: string }) {
  const id = `request-${request.id}`;
  return (
    <>
      <section aria-labelledby={`${id}-request`}>
        <h3 id={`${id}-request`}>The request{of}</h3>
        <dl className="facts">
          <dt>Model</dt>
          <dd>{request.model}</dd>
          <dt>User</dt>
          <dd>
            <UserName id={request.user_id} name={request.user_name} />
          </dd>
          <dt>Key</dt>
          <dd>
            {request.key_name ?? <span className="hint">unnamed or unknown key</span>}{' '}
            <code className="id">{request.key_id}</code>
          </dd>
          <dt>Channel</dt>
          <dd>
            <ChannelName id={request.channel_id} />
          </dd>
          <dt>Status</dt>
          <dd>
            <RequestStatus row={request} />
            {request.succeeded ? ', charged' : ', the hold released'}
          </dd>
          <dt>Streamed</dt>
          <dd>{request.stream ? 'yes' : 'no'}</dd>
          <dt>Tokens</dt>
          <dd>
            <Tokens request={request} />
          </dd>
          <dt>Cost</dt>
          <dd>
            <Money amount={request.cost} />
          </dd>
          <dt>Latency</dt>
          <dd>{request.latency_ms} ms</dd>
          <dt>Settled</dt>
          <dd>
            <DateTime value={request.created_at} />
          </dd>
        </dl>
        <p>
          <Link href={`/requests?user_id=${request.user_id}`}>All requests of this user</Link>
        </p>
      </section>
      <section aria-labelledby={`${id}-hold`}>
        <h3 id={`${id}-hold`}>Hold{of}</h3>
        {hold === null ? (
          <p>No hold is recorded for this request.</p>
        ) : (
          <dl className="facts">
            <dt>Status</dt>
            <dd>{hold.status}</dd>
            <dt>Held at admission</dt>
            <dd>
              <Money amount={hold.held} />
            </dd>
            <dt>Charged</dt>
            <dd>{hold.charged === null ? 'not yet: the hold is open' : <Money amount={hold.charged} />}</dd>
            <dt>Credit grant</dt>
            <dd>{hold.grant_id === null ? 'none' : <code className="id">{hold.grant_id}</code>}</dd>
            <dt>Admitted</dt>
            <dd>
              <DateTime value={hold.created_at} />
            </dd>
            <dt>Closed</dt>
            <dd>
              <DateTime value={hold.closed_at} />
            </dd>
            <dt>Hold id</dt>
            <dd>
              <code className="id">{hold.id}</code>
            </dd>
          </dl>
        )}
      </section>
      <section aria-labelledby={`${id}-ledger`}>
        <h3 id={`${id}-ledger`}>Ledger lines{of}</h3>
        {ledger.length === 0 ? (
          <p>No ledger line was written for this request.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Balance after
                  </th>
                  <th scope="col">Actor</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {ledger.map((line) => (
                  <tr key={line.id}>
                    <td>
                      <DateTime value={line.created_at} />
                    </td>
                    <td>{line.type}</td>
                    <td className="num">
                      <Money amount={line.amount} />
                    </td>
                    <td className="num">
                      <Money amount={line.balance_after} />
                    </td>
                    <td>{line.actor_name ?? line.actor}</td>
                    <td>{line.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** The token counts that apply: input and output always, the finer ones (cached, reasoning, …) when there are any. */
function Tokens({ request }: { request: Settled['request'] }) {
  const details = [
    ['cached input', request.cached_input_tokens],
    ['cache write', request.cache_write_tokens],
    ['reasoning', request.reasoning_tokens],
    ['images', request.images],
    ['characters', request.characters],
    ['audio seconds', request.audio_seconds],
  ] as const;
  const shown = details.filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`);
  return (
    <>
      {request.input_tokens} in, {request.output_tokens} out
      {shown.length > 0 && ` (${shown.join(', ')})`}
    </>
  );
}
