/**
 * Tollgate's performance targets (issue 15, which replaced issue 7's), each judged on this run's figures. A
 * target whose figure could not be measured (Tollgate unavailable, a peer not run, a phase skipped) is NOT
 * MEASURED, never MET.
 */
import { translationCost } from './aggregate.js';
import { exactnessFigure } from './exactness.js';

const ms = (us) => `${(us / 1000).toFixed(3)} ms`;

export const RSS_LIMIT_MB = 120;
/** CPU per request at c=64, summed over every Tollgate process, nats-server and PostgreSQL's backends included. */
export const CPU_LIMIT_US = 800;

export function evaluateGoals({ tollgate, direct, portkey, nginx, added, tollgateStatus, exactness }) {
  const goals = [];
  const judge = (goal, measured, met, figure) =>
    goals.push({
      goal,
      status: measured ? (met ? 'MET' : 'NOT MET') : 'NOT MEASURED',
      figure: measured ? figure : '—',
    });

  const c1 = added?.c1;
  judge('added latency over direct, c=1, p50 ≤ 1.0 ms', c1?.p50Us != null, c1?.p50Us <= 1000, c1 && ms(c1.p50Us));
  judge('added latency over direct, c=1, p99 ≤ 3 ms', c1?.p99Us != null, c1?.p99Us <= 3000, c1 && ms(c1.p99Us));

  const t64 = tollgate?.phases?.c64;
  const p64 = portkey?.phases?.c64;
  const n64 = nginx?.phases?.c64;
  judge(
    "throughput at c=64 (0 ms upstream) ≥ 3× Portkey's, with zero errors",
    Boolean(t64 && p64 && p64.ok > 0),
    t64 && p64 && t64.rps >= 3 * p64.rps && t64.errors === 0,
    t64 &&
      p64 &&
      `${t64.rps.toFixed(0)} vs ${p64.rps.toFixed(0)} req/s (${(t64.rps / p64.rps).toFixed(2)}×), ${t64.errors} errors`,
  );
  judge(
    "throughput at c=64 (0 ms upstream) ≥ 0.2× nginx's",
    Boolean(t64 && n64 && n64.ok > 0),
    t64 && n64 && t64.rps >= 0.2 * n64.rps,
    t64 && n64 && `${t64.rps.toFixed(0)} vs ${n64.rps.toFixed(0)} req/s (${(t64.rps / n64.rps).toFixed(2)}×)`,
  );

  const ttfc = added?.stream;
  judge(
    'time to first chunk ≤ 0.5 ms after direct (p50)',
    ttfc?.ttfcP50Us != null && direct?.phases?.stream,
    ttfc?.ttfcP50Us <= 500,
    ttfc &&
      `+${ms(ttfc.ttfcP50Us)} (${ms(tollgate.phases.stream.ttfcUs.p50)} vs ${ms(direct.phases.stream.ttfcUs.p50)})`,
  );

  const perProcess = Object.entries(tollgate?.processes?.c64 ?? {}).filter(([label]) => label.startsWith('tollgate/'));
  const cpuUs = perProcess.reduce((sum, [, entry]) => sum + (entry.cpuUsPerRequest ?? 0), 0);
  judge(
    `CPU per request at c=64 ≤ ${CPU_LIMIT_US} µs, summed over every Tollgate process (NATS and PostgreSQL included)`,
    perProcess.length > 0,
    cpuUs <= CPU_LIMIT_US,
    `${cpuUs.toFixed(0)} µs (${perProcess.map(([label, entry]) => `${label.replace('tollgate/', '')} ${(entry.cpuUsPerRequest ?? 0).toFixed(0)}`).join(', ')})`,
  );

  const services = Object.entries(tollgate?.peakRssMb ?? {}).filter(([label]) =>
    /^tollgate\/(auth|router|billing|edge)$/.test(label),
  );
  const worst = services.reduce((max, entry) => (entry[1] > (max?.[1] ?? -1) ? entry : max), null);
  judge(
    `each service ≤ ${RSS_LIMIT_MB} MB RSS under load`,
    // A suite that lost a service mid-run was not "under load" all along: its memory is not judged.
    services.length === 4 && tollgateStatus === 'measured',
    services.every(([, mb]) => mb <= RSS_LIMIT_MB),
    worst && services.map(([label, mb]) => `${label.replace('tollgate/', '')} ${mb.toFixed(0)}`).join(', ') + ' MB',
  );

  // Issue 14: translating a client dialect to another channel type costs at most 0.2 ms p50 at c=1.
  for (const [dialect, cost] of Object.entries(translationCost(added))) {
    judge(
      `${dialect === 'responses' ? 'Responses' : 'Messages'} API: translation adds ≤ 0.2 ms p50 over pass-through, c=1`,
      cost?.p50Us != null,
      cost?.p50Us <= 200,
      cost && `${cost.p50Us >= 0 ? '+' : ''}${ms(cost.p50Us)}`,
    );
  }

  // Issue 15: after the run, reconcile is clean and the charges are exactly the 2xx answers the bench saw.
  judge(
    'exactness: reconcile clean and charges = successes',
    Boolean(exactness && !exactness.error),
    exactness?.met,
    exactnessFigure(exactness),
  );
  return goals;
}
