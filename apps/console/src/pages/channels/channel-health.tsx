import { useQuery } from '@tanstack/react-query';
import type { ChannelHealthResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';

/** What each health state means to an admin deciding what to do. */
const STATE_TEXT: Record<ChannelHealthResponse['state'], string> = {
  healthy: 'Healthy',
  cooling_down: 'Cooling down: skipped until the cooldown ends',
  circuit_open: 'Circuit breaker open: skipped after repeated failures',
  half_open: 'Circuit breaker half-open: trial requests only',
  disabled: 'Disabled by an admin',
  auto_disabled: 'Auto-disabled by the router: a passing test re-enables it',
};

/** The router's view of a channel: cooldown, circuit breaker, auto-disable and its recent errors. */
export function ChannelHealth({ id }: { id: string }) {
  const health = useQuery({
    queryKey: ['channel-health', id],
    queryFn: ({ signal }) => api.get<ChannelHealthResponse>(`/channels/${id}/health`, undefined, signal),
  });
  return (
    <section aria-labelledby="channel-health">
      <h2 id="channel-health">Health</h2>
      {health.isPending && <Loading label="Loading health…" />}
      {health.error && <ErrorMessage error={health.error} title="The health could not be loaded" />}
      {health.data && (
        <>
          <dl>
            <dt>State</dt>
            <dd>{STATE_TEXT[health.data.state]}</dd>
            <dt>Cooldown until</dt>
            <dd>
              <DateTime value={health.data.cooldown_until} />
            </dd>
            <dt>Consecutive failures</dt>
            <dd>{health.data.consecutive_failures}</dd>
          </dl>
          {health.data.recent_errors.length === 0 ? (
            <p>No recent errors.</p>
          ) : (
            <table>
              <caption>Recent errors</caption>
              <thead>
                <tr>
                  <th scope="col">At</th>
                  <th scope="col">Status</th>
                  <th scope="col">Error code</th>
                </tr>
              </thead>
              <tbody>
                {health.data.recent_errors.map((error, index) => (
                  <tr key={index}>
                    <td>
                      <DateTime value={error.at} />
                    </td>
                    <td>{error.status}</td>
                    <td>{error.error_code ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
