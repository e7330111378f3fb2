/**
 * The printed report: one table per phase (targets as rows), memory and CPU per process, Tollgate's ratios
 * to each peer, and the targets section. Latencies are printed in ms with 3 decimals (µs precision) —
 * the resolution the added-latency targets need.
 */
import { headline, translationCost } from './aggregate.js';
import { DIALECT_PROFILES, DIALECTS } from './profiles.js';
import { renderExactness } from './exactness.js';
import { renderTimeline } from './tollgate-trace.js';

const fmtMs = (us) => (us === null || us === undefined ? '—' : (us / 1000).toFixed(3));
const fmtAdded = (us) => (us === null || us === undefined ? '—' : `${us >= 0 ? '+' : ''}${(us / 1000).toFixed(3)}`);
const fmtInt = (value) => (value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const fmtMb = (mb) => (mb === null || mb === undefined ? '—' : mb.toFixed(1));
const fmtRatio = (value) => (value === null || value === undefined ? 'n/a' : `${value.toFixed(2)}×`);

export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** First line of a reason, short enough for a report line; the JSON keeps the whole text. */
export function shortReason(reason) {
  const line = String(reason ?? '').split('\n')[0];
  return line.length > 220 ? `${line.slice(0, 217)}…` : line;
}

/** Targets without figures for a phase keep a line under its table, saying why. */
function missingLines(names, targets, summaries, phaseId) {
  return names
    .filter((name) => !summaries[name]?.phases?.[phaseId])
    .map((name) => {
      const t = targets[name];
      const why =
        t.status === 'measured' ? 'no successful slice (see the log above)' : `${t.status}: ${shortReason(t.reason)}`;
      return `  ${name}: ${why}`;
    });
}

function errorsCell(count, kinds) {
  if (!count) return '0';
  const detail = Object.entries(kinds ?? {})
    .map(([kind, n]) => `${kind}×${n}`)
    .join(' ');
  return `${count} (${detail})`;
}

export function renderReport(run) {
  const { targets, summaries, added, ratios, goals, options, phases } = run;
  const names = Object.keys(targets);
  const out = [];
  const section = (title) => out.push('', title, '='.repeat(title.length));
  const phaseTitle = (id) => phases.find((phase) => phase.id === id)?.title ?? id;
  const measured = (name, phaseId) => summaries[name]?.phases?.[phaseId];

  section(`Tollgate benchmark — ${run.machine.cpuModel}, ${run.machine.cores} cores, Node ${run.machine.node}`);
  out.push(
    `${options.rounds} interleaved round(s); Tollgate LOG_LEVEL=${options.logLevel}; nginx worker_processes ${options.nginxWorkers}.`,
    'Times in ms (3 decimals = µs). "added" = target − direct in the same run.',
    `Load average (1 min) at start ${run.machine.loadAverageAtStart[0].toFixed(2)}, at end ${run.machine.loadAverageAtEnd[0].toFixed(2)} ` +
      `on ${run.machine.cores} cores: other work on this machine adds noise to every figure.`,
  );
  for (const name of names) {
    const t = targets[name];
    const note =
      t.status === 'measured'
        ? [t.version, ...(t.notes ?? [])].filter(Boolean).join('; ')
        : `${t.status}: ${shortReason(t.reason)}`;
    out.push(`  ${name.padEnd(9)} ${note}`);
  }

  if (phases.some((phase) => phase.id === 'c1')) {
    section(phaseTitle('c1'));
    const rows = names
      .filter((name) => measured(name, 'c1'))
      .map((name) => {
        const s = measured(name, 'c1');
        const a = added[name]?.c1;
        return [
          name,
          fmtInt(s.requests),
          fmtMs(s.latencyUs.p50),
          fmtMs(s.latencyUs.p90),
          fmtMs(s.latencyUs.p99),
          fmtAdded(a?.p50Us),
          fmtAdded(a?.p99Us),
          errorsCell(s.errors, s.errorKinds),
        ];
      });
    out.push(table(['target', 'requests', 'p50', 'p90', 'p99', 'added p50', 'added p99', 'errors'], rows));
    out.push(...missingLines(names, targets, summaries, 'c1'));
  }

  for (const id of ['c64', 'c64slow']) {
    if (!phases.some((phase) => phase.id === id)) continue;
    section(phaseTitle(id));
    const rows = names
      .filter((name) => measured(name, id))
      .map((name) => {
        const s = measured(name, id);
        const a = added[name]?.[id];
        const kinds = {
          ...Object.fromEntries(Object.entries(s.statusCodes).filter(([code]) => !code.startsWith('2'))),
          ...s.socketErrorKinds,
        };
        return [
          name,
          fmtInt(s.rps),
          fmtMs(s.latencyUs.p50),
          fmtMs(s.latencyUs.p99),
          fmtAdded(a?.p50Us),
          fmtAdded(a?.p99Us),
          fmtInt(s.ok),
          errorsCell(s.errors, kinds),
        ];
      });
    out.push(table(['target', 'req/s', 'p50', 'p99', 'added p50', 'added p99', 'ok', 'errors'], rows));
    out.push(...missingLines(names, targets, summaries, id));
    const activity = summaries.tollgate?.phases?.[id]?.postgresActivity;
    if (activity) {
      const top = Object.entries(activity.averageBackends)
        .slice(0, 5)
        .map(([key, n]) => `${n.toFixed(1)} ${key}`)
        .join(', ');
      out.push(`  tollgate's PostgreSQL backends during these slices (average count by state · wait): ${top}`);
      for (const [statement, n] of Object.entries(activity.averageLockWaitsByStatement ?? {}).slice(0, 3)) {
        out.push(`    waiting on a lock (avg ${n.toFixed(1)}): ${statement}`);
      }
    }
    if (id === 'c64slow') {
      const ideal = options.connections / 0.05;
      out.push(`(ideal with a 50 ms upstream: ${options.connections} / 0.05 s = ${fmtInt(ideal)} req/s)`);
    }
  }

  if (phases.some((phase) => phase.id === 'stream')) {
    section(phaseTitle('stream'));
    const rows = names
      .filter((name) => measured(name, 'stream'))
      .map((name) => {
        const s = measured(name, 'stream');
        const a = added[name]?.stream;
        return [
          name,
          fmtInt(s.requests),
          fmtMs(s.ttfcUs.p50),
          fmtMs(s.ttfcUs.p99),
          fmtAdded(a?.ttfcP50Us),
          fmtMs(s.totalUs.p50),
          fmtMs(s.totalUs.p99),
          errorsCell(s.errors, s.errorKinds),
        ];
      });
    out.push(
      table(['target', 'requests', 'TTFC p50', 'TTFC p99', 'added TTFC', 'total p50', 'total p99', 'errors'], rows),
    );
    out.push(...missingLines(names, targets, summaries, 'stream'));
    for (const name of names) {
      const sample = summaries[name]?.phases?.stream?.errorSamples?.[0];
      if (sample) out.push(`  ${name} stream error, e.g.: ${shortReason(sample)}`);
    }
  }

  const dialects = DIALECTS.filter((dialect) => phases.some((phase) => phase.id === dialect));
  if (dialects.length > 0) {
    section('Client dialects, concurrency 1, 0 ms upstream (pass-through and translated requests alternating)');
    const rows = [];
    const samples = [];
    for (const dialect of dialects) {
      for (const [id, profile] of Object.entries(DIALECT_PROFILES).filter(([, p]) => p.dialect === dialect)) {
        for (const name of names) {
          const s = measured(name, dialect)?.routes[id];
          if (!s) continue;
          const a = added[name]?.[id];
          rows.push([
            id,
            name === 'direct' ? `direct ${profile.upstreamPath}` : name,
            fmtInt(s.requests),
            fmtMs(s.latencyUs.p50),
            fmtMs(s.latencyUs.p99),
            fmtAdded(a?.p50Us),
            fmtAdded(a?.p99Us),
            errorsCell(s.errors, s.errorKinds),
          ]);
          if (s.errorSamples?.[0]) samples.push(`  ${name} ${id} error, e.g.: ${shortReason(s.errorSamples[0])}`);
        }
      }
    }
    out.push(table(['route', 'target', 'requests', 'p50', 'p99', 'added p50', 'added p99', 'errors'], rows));
    for (const [dialect, cost] of Object.entries(translationCost(added.tollgate))) {
      if (!dialects.includes(dialect)) continue;
      out.push(
        `  ${dialect}: translation costs ${fmtAdded(cost?.p50Us)} ms p50, ${fmtAdded(cost?.p99Us)} ms p99 ` +
          '(added on the translated route − added on the pass-through route)',
      );
    }
    out.push(
      ...samples,
      ...dialects.flatMap((dialect) =>
        missingLines(
          ['tollgate'].filter((n) => names.includes(n)),
          targets,
          summaries,
          dialect,
        ),
      ),
    );
  }

  section('Memory and CPU per process (peak RSS over all measured slices; CPU µs per request at c=64, 0 ms)');
  const procRows = [];
  for (const name of names) {
    const summary = summaries[name];
    if (!summary) continue;
    // The 50 ms fake provider only works in one phase and is the same for every target: JSON only.
    const labels = Object.keys(summary.peakRssMb).filter((label) => label !== 'fake-provider 50 ms');
    for (const label of labels) {
      const c64 = summary.processes.c64?.[label];
      const c1 = summary.processes.c1?.[label];
      const role = Object.values(summary.processes).find((perPhase) => perPhase[label])?.[label].role;
      const idle = summary.idleCpuShare?.[label];
      procRows.push([
        name,
        label,
        role ?? '',
        fmtMb(summary.startRssMb?.[label]),
        fmtMb(summary.peakRssMb[label]),
        fmtMb(summary.highWaterMb?.[label]),
        idle === undefined ? '—' : `${(idle * 100).toFixed(1)}%`,
        c1?.cpuUsPerRequest == null ? '—' : fmtInt(c1.cpuUsPerRequest),
        c64?.cpuUsPerRequest == null ? '—' : fmtInt(c64.cpuUsPerRequest),
      ]);
    }
  }
  out.push(
    table(
      [
        'target',
        'process',
        'role',
        'RSS at start',
        'peak RSS MB',
        'VmHWM MB',
        'idle CPU',
        'CPU µs/req c=1',
        'CPU µs/req c=64',
      ],
      procRows,
    ),
  );
  out.push(
    "(idle CPU: share of one core with no load, measured for 2 s after warm-up; PostgreSQL backends' RSS includes shared buffers)",
  );
  if (run.settlement) {
    out.push(
      `Tollgate settlement backlog after the c=64 slices (JetStream, billing consumer): max ${fmtInt(run.settlement.maxBacklog)} messages, ` +
        `drained in ≤ ${(run.settlement.maxDrainMs / 1000).toFixed(1)} s (waited for before the next target).`,
    );
  }

  if (run.trace) {
    section('Tollgate request timeline (concurrency 1, NATS wire-tap, after the measured phases)');
    out.push(run.trace.error ? `trace failed: ${run.trace.error}` : renderTimeline(run.trace));
  }

  if (targets.tollgate) {
    section('Exactness under load (Tollgate, after every phase has settled; admin API, root key)');
    out.push(...renderExactness(run.exactness, targets.tollgate));
  }

  section('Tollgate / peer ratios (latency: lower is better; req/s: higher is better)');
  if (!summaries.tollgate) {
    out.push(
      `n/a — Tollgate ${targets.tollgate ? `${targets.tollgate.status}: ${shortReason(targets.tollgate.reason)}` : 'not selected'}`,
    );
  } else {
    const metrics = Object.keys(headline(summaries.tollgate));
    const peers = Object.keys(ratios);
    const rows = metrics.map((metric) => {
      const value = headline(summaries.tollgate)[metric];
      return [
        metric,
        value === null ? '—' : metric.includes('req/s') ? fmtInt(value) : value.toFixed(3),
        ...peers.map((peer) => fmtRatio(ratios[peer][metric])),
      ];
    });
    out.push(table(['metric', 'tollgate', ...peers.map((peer) => `T/${peer}`)], rows));
  }

  section('Targets');
  out.push(
    table(
      ['target', 'status', 'figure'],
      goals.map((goal) => [goal.goal, goal.status, goal.figure]),
    ),
  );

  const missing = names.filter((name) => targets[name].status !== 'measured');
  if (missing.length > 0) {
    section('Why targets are missing');
    for (const name of missing) {
      const lines = String(targets[name].reason).split('\n');
      out.push(`${name} (${targets[name].status}):`, ...lines.slice(0, 40).map((line) => `  ${line}`));
      if (lines.length > 40) out.push(`  … (${lines.length - 40} more lines in the JSON)`);
    }
  }
  return out.join('\n');
}
