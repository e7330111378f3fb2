/**
 * Tollgate's performance targets (issue 7), each judged on this run's figures. A target whose figure could
 * not be measured (Tollgate unavailable, a phase skipped) is NOT MEASURED, never MET.
 */
import { translationCost } from './aggregate.js';
import { exactnessFigure } from './exactness.js';

const ms = (us) => `${(us / 1000).toFixed(3)} ms`;

export const RSS_LIMIT_MB = 150;

export function evaluateGoals({ tollgate, direct, portkey, added, tollgateStatus, exactness }) {
  const goals = [];
  const judge = (goal, measured, met, figure) =>
    goals.push({
      goal,
      status: measured ? (met ? 'MET' : 'NOT MET') : 'NOT MEASURED',
      figure: measured ? figure : '—',
    });

  const c1 = added?.c1;
  judge('added latency over direct, c=1, p50 ≤ 1.5 ms', c1?.p50Us != null, c1?.p50Us <= 1500, c1 && ms(c1.p50Us));
  judge('added latency over direct, c=1, p99 ≤ 5 ms', c1?.p99Us != null, c1?.p99Us <= 5000, c1 && ms(c1.p99Us));

  const t64 = tollgate?.phases?.c64;
  const p64 = portkey?.phases?.c64;
  judge(
    "throughput at c=64 (0 ms upstream) ≥ Portkey's, with zero errors",
    Boolean(t64 && p64 && p64.ok > 0),
    t64 && p64 && t64.rps >= p64.rps && t64.errors === 0,
    t64 && p64 && `${t64.rps.toFixed(0)} vs ${p64.rps.toFixed(0)} req/s, ${t64.errors} errors`,
  );

  const ttfc = added?.stream;
  judge(
    'time to first chunk within 1 ms of direct (p50)',
    ttfc?.ttfcP50Us != null && direct?.phases?.stream,
    ttfc?.ttfcP50Us <= 1000,
    ttfc &&
      `+${ms(ttfc.ttfcP50Us)} (${ms(tollgate.phases.stream.ttfcUs.p50)} vs ${ms(direct.phases.stream.ttfcUs.p50)})`,
  );

  const services = Object.entries(tollgate?.peakRssMb ?? {}).filter(([label]) =>
    /^tollgate\/(auth|router|billing|edge)$/.test(label),
  );
  const worst = services.reduce((max, entry) => (entry[1] > (max?.[1] ?? -1) ? entry : max), null);
  judge(
    `each service < ${RSS_LIMIT_MB} MB RSS under load`,
    // A suite that lost a service mid-run was not "under load" all along: its memory is not judged.
    services.length === 4 && tollgateStatus === 'measured',
    services.every(([, mb]) => mb < RSS_LIMIT_MB),
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
