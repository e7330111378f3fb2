/**
 * From raw slices (one per target, phase and round) to the figures the report shows. Samples are pooled
 * over rounds; throughput is total successful requests over total measured time; CPU seconds are summed
 * and divided by the requests of the same slices; peak RSS is the maximum over all measured slices.
 */
import { DIALECT_PROFILES, DIALECTS } from './profiles.js';
import { minus, ratio, summarize } from './stats.js';

function sumBy(items, fn) {
  return items.reduce((sum, item) => sum + (fn(item) ?? 0), 0);
}

function mergeCounts(target, source) {
  for (const [key, value] of Object.entries(source ?? {})) {
    const count = typeof value === 'object' && value !== null ? value.count : value;
    target[key] = (target[key] ?? 0) + count;
  }
  return target;
}

function aggregateSequential(slices) {
  const samples = slices.flatMap((slice) => slice.latenciesUs);
  const errors = sumBy(slices, (slice) => slice.errors.count);
  return {
    requests: samples.length + errors,
    errors,
    errorKinds: slices.reduce((acc, slice) => mergeCounts(acc, slice.errors.statuses), {}),
    errorSamples: slices.flatMap((slice) => slice.errors.samples).slice(0, 3),
    latencyUs: summarize(samples),
    perRoundP50Us: slices.map((slice) => summarize(slice.latenciesUs).p50),
  };
}

function aggregateConcurrent(slices) {
  const durationS = sumBy(slices, (slice) => slice.durationS);
  const ok = sumBy(slices, (slice) => slice.ok);
  return {
    durationS,
    ok,
    rps: durationS > 0 ? ok / durationS : null,
    errors: sumBy(slices, (slice) => slice.errorsTotal),
    non2xx: sumBy(slices, (slice) => slice.non2xx),
    socketErrors: sumBy(slices, (slice) => slice.socketErrors),
    timeouts: sumBy(slices, (slice) => slice.timeouts),
    statusCodes: slices.reduce((acc, slice) => mergeCounts(acc, slice.statusCodes), {}),
    socketErrorKinds: slices.reduce((acc, slice) => mergeCounts(acc, slice.socketErrorKinds), {}),
    errorSamples: slices.flatMap((slice) => slice.errorSamples).slice(0, 3),
    latencyUs: summarize(slices.flatMap((slice) => slice.latenciesUs)),
    perRoundRps: slices.map((slice) => slice.rps),
    postgresActivity: mergeActivity(slices.map((slice) => slice.postgresActivity).filter(Boolean)),
    autocannonPerRound: slices.map((slice) => slice.autocannon),
  };
}

/** Average number of the database's backends in each state/wait event, over all samples. */
function mergeActivity(list) {
  if (list.length === 0) return null;
  const samples = sumBy(list, (entry) => entry.samples);
  const average = (counts) =>
    Object.fromEntries(
      Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => [key, samples ? n / samples : 0]),
    );
  return {
    samples,
    averageBackends: average(list.reduce((acc, entry) => mergeCounts(acc, entry.backendsByActivity), {})),
    averageLockWaitsByStatement: average(list.reduce((acc, entry) => mergeCounts(acc, entry.lockWaitsByStatement), {})),
  };
}

function aggregateStreaming(slices) {
  const errors = sumBy(slices, (slice) => slice.errors.count);
  const ttfc = slices.flatMap((slice) => slice.ttfcUs);
  return {
    requests: ttfc.length + errors,
    errors,
    errorKinds: slices.reduce((acc, slice) => mergeCounts(acc, slice.errors.statuses), {}),
    errorSamples: slices.flatMap((slice) => slice.errors.samples).slice(0, 3),
    ttfcUs: summarize(ttfc),
    totalUs: summarize(slices.flatMap((slice) => slice.totalUs)),
    readsPerResponse: slices.length ? sumBy(slices, (slice) => slice.readsPerResponse) / slices.length : null,
  };
}

const AGGREGATORS = {
  c1: aggregateSequential,
  c64: aggregateConcurrent,
  c64slow: aggregateConcurrent,
  stream: aggregateStreaming,
  ...Object.fromEntries(DIALECTS.map((dialect) => [dialect, aggregateDialect])),
};

/** A dialect phase's slices hold both routes' samples: each route is pooled like a sequential phase. */
function aggregateDialect(slices) {
  const ids = [...new Set(slices.flatMap((slice) => Object.keys(slice.routes)))];
  return {
    routes: Object.fromEntries(
      ids.map((id) => [id, aggregateSequential(slices.map((slice) => slice.routes[id]).filter(Boolean))]),
    ),
  };
}

/** CPU and memory per process group over one phase's slices. */
function aggregateProcesses(slices) {
  const requests = sumBy(slices, (slice) => slice.requests);
  const out = {};
  for (const slice of slices) {
    for (const [label, stats] of Object.entries(slice.proc ?? {})) {
      const entry = (out[label] ??= { role: stats.role, peakRssMb: 0, cpuS: 0 });
      entry.peakRssMb = Math.max(entry.peakRssMb, stats.peakRssMb);
      entry.cpuS += stats.cpuS;
    }
  }
  for (const entry of Object.values(out)) entry.cpuUsPerRequest = requests > 0 ? (entry.cpuS / requests) * 1e6 : null;
  return out;
}

export function aggregateTarget(targetResult) {
  const phases = {};
  const processes = {};
  for (const [phaseId, slices] of Object.entries(targetResult.slices)) {
    const ok = slices.filter((slice) => !slice.failed);
    if (ok.length === 0) continue;
    phases[phaseId] = AGGREGATORS[phaseId](ok);
    processes[phaseId] = aggregateProcesses(ok);
  }
  // Peak over the whole measured run, per process group.
  const peakRssMb = {};
  for (const perPhase of Object.values(processes)) {
    for (const [label, entry] of Object.entries(perPhase)) {
      peakRssMb[label] = Math.max(peakRssMb[label] ?? 0, entry.peakRssMb);
    }
  }
  return { phases, processes, peakRssMb };
}

/** Differences to direct calls (same run, same rounds): the gateway's own cost. */
export function addedOverDirect(summary, direct) {
  if (!summary?.phases || !direct?.phases) return {};
  const p = summary.phases;
  const d = direct.phases;
  return {
    c1: p.c1 &&
      d.c1 && {
        p50Us: minus(p.c1.latencyUs.p50, d.c1.latencyUs.p50),
        p99Us: minus(p.c1.latencyUs.p99, d.c1.latencyUs.p99),
      },
    c64: p.c64 &&
      d.c64 && {
        p50Us: minus(p.c64.latencyUs.p50, d.c64.latencyUs.p50),
        p99Us: minus(p.c64.latencyUs.p99, d.c64.latencyUs.p99),
      },
    c64slow: p.c64slow &&
      d.c64slow && {
        p50Us: minus(p.c64slow.latencyUs.p50, d.c64slow.latencyUs.p50),
        p99Us: minus(p.c64slow.latencyUs.p99, d.c64slow.latencyUs.p99),
      },
    stream: p.stream &&
      d.stream && {
        ttfcP50Us: minus(p.stream.ttfcUs.p50, d.stream.ttfcUs.p50),
        ttfcP99Us: minus(p.stream.ttfcUs.p99, d.stream.ttfcUs.p99),
        totalP50Us: minus(p.stream.totalUs.p50, d.stream.totalUs.p50),
      },
    ...Object.fromEntries(
      Object.entries(DIALECT_PROFILES).map(([id, { dialect }]) => {
        const mine = p[dialect]?.routes[id];
        const theirs = d[dialect]?.routes[id];
        return [
          id,
          mine &&
            theirs && {
              p50Us: minus(mine.latencyUs.p50, theirs.latencyUs.p50),
              p99Us: minus(mine.latencyUs.p99, theirs.latencyUs.p99),
            },
        ];
      }),
    ),
  };
}

/**
 * What translating a dialect costs: the added latency of the translated route minus that of the
 * pass-through route, per dialect (both added figures are over direct calls to the upstream endpoint each
 * route reaches, so the upstreams' own differences cancel out).
 */
export function translationCost(added) {
  const out = {};
  for (const dialect of DIALECTS) {
    const native = added?.[`${dialect}-native`];
    const translated = added?.[`${dialect}-translated`];
    out[dialect] =
      native && translated
        ? { p50Us: minus(translated.p50Us, native.p50Us), p99Us: minus(translated.p99Us, native.p99Us) }
        : null;
  }
  return out;
}

/** The headline metrics, in one place, so the ratio table and the JSON agree. */
export function headline(summary) {
  const p = summary?.phases ?? {};
  // A phase whose every request failed has no latency: null, never 0.
  const ms = (us) => (us === null || us === undefined ? null : us / 1000);
  const rps = (phase) => (phase && phase.ok > 0 ? phase.rps : null);
  return {
    'c=1 p50 (ms)': ms(p.c1?.latencyUs.p50),
    'c=1 p99 (ms)': ms(p.c1?.latencyUs.p99),
    'c=64 0ms req/s': rps(p.c64),
    'c=64 0ms p99 (ms)': ms(p.c64?.latencyUs.p99),
    'c=64 50ms req/s': rps(p.c64slow),
    'c=64 50ms p99 (ms)': ms(p.c64slow?.latencyUs.p99),
    'stream TTFC p50 (ms)': ms(p.stream?.ttfcUs.p50),
    'stream total p50 (ms)': ms(p.stream?.totalUs.p50),
  };
}

export function ratios(tollgate, others) {
  const mine = headline(tollgate);
  const out = {};
  for (const [name, summary] of Object.entries(others)) {
    const theirs = headline(summary);
    out[name] = Object.fromEntries(Object.keys(mine).map((metric) => [metric, ratio(mine[metric], theirs[metric])]));
  }
  return out;
}
