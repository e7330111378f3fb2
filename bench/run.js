#!/usr/bin/env node
/**
 * `npm run bench`: Tollgate against direct calls, nginx and Portkey's gateway, on this machine, in one
 * command. See bench/README.md for what is measured and how to read the report.
 *
 * Why the run is shaped like this:
 * - Every target talks to the same fake-provider processes, so the upstream costs the same for all.
 * - Targets are measured in interleaved rounds (round 1: phase A for every target, phase B for every
 *   target, …; round 2 again, with the target order rotated). A shared 2-core machine drifts (other
 *   tenants, CPU boost, page cache); interleaving spreads that drift over all targets instead of loading it
 *   onto whichever target happened to run last.
 * - After each slice the bench waits until the target is idle again (Tollgate settles asynchronously via
 *   JetStream: its backlog is drained first), so one target's leftovers never run during another's slice.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { addedOverDirect, aggregateTarget, ratios as computeRatios } from './lib/aggregate.js';
import { startFakeProvider } from './lib/fake-provider.js';
import { renderProfileSummary, summarizeProfileDir } from './lib/cpu-profile.js';
import { exactnessFigure } from './lib/exactness.js';
import { evaluateGoals } from './lib/goals.js';
import { machineInfo } from './lib/machine.js';
import { parseOptions } from './lib/options.js';
import { RESULTS_DIR } from './lib/paths.js';
import { definePhases, warmUp } from './lib/phases.js';
import { ProcSampler, cpuSeconds } from './lib/proc-stats.js';
import { cleanup, installSignalHandlers, onCleanup, sleep } from './lib/processes.js';
import { DIALECT_PROFILES, PROFILES, chatBody, streamBody } from './lib/profiles.js';
import { renderReport } from './lib/report.js';
import { summarize } from './lib/stats.js';
import { traceTollgate } from './lib/tollgate-trace.js';
import { sequentialClient } from './lib/load/sequential.js';
import { streamingClient } from './lib/load/streaming.js';
import { startDirect } from './lib/targets/direct.js';
import { startNginx } from './lib/targets/nginx.js';
import { startPortkey } from './lib/targets/portkey.js';
import { startTollgate } from './lib/targets/tollgate.js';
import { TargetUnavailable } from './lib/targets/unavailable.js';

const STARTERS = { direct: startDirect, nginx: startNginx, portkey: startPortkey, tollgate: startTollgate };
const BACKLOG_DRAIN_TIMEOUT_MS = 120_000;
const IDLE_TIMEOUT_MS = 15_000;
/** A target counts as idle when its processes use less than this share of one core over 250 ms. */
const IDLE_CPU_SHARE = 0.05;

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main() {
  const options = parseOptions();
  if (options.help) {
    console.log(options.help);
    return;
  }
  installSignalHandlers();
  const startedAt = new Date();
  const machineAtStart = machineInfo();
  options.runId = startedAt.toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const tempDir = mkdtempSync(join(os.tmpdir(), 'tollgate-bench-'));
  onCleanup('temp dir', () => rmSync(tempDir, { recursive: true, force: true }));

  const phases = definePhases(options);
  log(
    `targets ${options.targets.join(', ')}; ${options.rounds} round(s); phases ${phases.map((p) => p.id).join(', ')}` +
      `${options.quick ? ' (quick mode: figures are indicative only)' : ''}`,
  );

  const sampler = new ProcSampler(250);
  sampler.track('bench (load generator)', () => [process.pid], 'client');
  sampler.start();
  onCleanup('sampler', () => sampler.stop());

  // --- Upstreams ---
  const upstreams = {
    fake0: await startFakeProvider('fake-provider 0 ms', 0),
    fake50: await startFakeProvider('fake-provider 50 ms', 50),
  };
  // The streaming answer's length is a per-model default, so it applies whichever target forwards the request.
  await upstreams.fake0.setControls({ byModel: { [PROFILES.stream.model]: { chunks: options.streamChunks } } });
  sampler.track('fake-provider 0 ms', () => [upstreams.fake0.handle.pid], 'upstream');
  sampler.track('fake-provider 50 ms', () => [upstreams.fake50.handle.pid], 'upstream');
  log(`fake providers: ${upstreams.fake0.url} (0 ms), ${upstreams.fake50.url} (50 ms)`);

  // --- Targets: start, verify with one request per profile, warm up ---
  const targets = {};
  const live = [];
  for (const name of options.targets) {
    targets[name] = { status: 'unavailable', slices: {} };
    let target = null;
    try {
      log(`starting ${name}…`);
      target = await STARTERS[name]({ upstreams, tempDir, options, resultsDir: RESULTS_DIR });
      onCleanup(name, () => target.stop());
      await verify(target, options);
      Object.assign(targets[name], { status: 'measured', version: target.version, notes: target.notes ?? [] });
      for (const group of target.processGroups()) sampler.track(group.label, group.pids, group.role);
      // Memory before any load: tells what the load itself adds to the peak.
      await target.refreshPids?.();
      const snapshot = sampler.open(target.processGroups().map((group) => group.label)).close();
      targets[name].startRssMb = Object.fromEntries(Object.entries(snapshot).map(([label, s]) => [label, s.peakRssMb]));
      live.push(target);
      log(`${name} is up (${target.version})`);
    } catch (error) {
      const reason = error instanceof TargetUnavailable ? error.message : `${error?.stack ?? error}`;
      targets[name].reason = reason;
      log(`${name} unavailable: ${reason}`);
      // Stopped now rather than at the end, so it takes no CPU during the other targets' slices.
      await target?.stop().catch(() => {});
    }
  }
  if (!live.some((target) => target.name === 'direct')) throw new Error('direct calls to the fake provider failed');

  for (const target of live) {
    log(`warming up ${target.name}…`);
    await warmUp(target, options);
    await settle(target);
    targets[target.name].idleCpuShare = await measureIdle(target, sampler);
  }

  // --- Measured rounds ---
  const settlement = { maxBacklog: 0, maxDrainMs: 0 };
  for (let round = 0; round < options.rounds; round++) {
    for (const [phaseIndex, phase] of phases.entries()) {
      const order = rotate(live, round + phaseIndex);
      for (const target of order) {
        const result = targets[target.name];
        if (result.status !== 'measured') continue;
        // The client-dialect phases run only where the target can serve them (Tollgate and direct).
        if (!phase.endpointOf(target)) continue;
        log(`round ${round + 1}/${options.rounds} · ${phase.title} · ${target.name}`);
        const slice = await runSlice(target, phase, round, sampler);
        (result.slices[phase.id] ??= []).push(slice);
        if (slice.failed) log(`  ${target.name}: ${slice.error}`);
        else log(`  ${describeSlice(phase.id, slice)}`);
        if (!target.isAlive()) {
          result.status = 'failed';
          result.reason = target.deathReport?.() ?? `${target.name} stopped during ${phase.title}`;
          log(`${target.name} stopped: ${result.reason}`);
          continue;
        }
        const drained = await settle(target);
        if (drained && phase.id.startsWith('c64')) {
          settlement.maxBacklog = Math.max(settlement.maxBacklog, drained.backlog);
          settlement.maxDrainMs = Math.max(settlement.maxDrainMs, drained.drainMs);
          slice.settlementBacklog = drained;
        }
      }
    }
  }

  // --- Tollgate's request timeline from a NATS wire-tap: after the measurements, as the tap costs a little ---
  let trace = null;
  const tollgate = live.find((target) => target.name === 'tollgate');
  if (options.trace && tollgate && targets.tollgate.status === 'measured') {
    log(`tracing ${options.traceRequests} Tollgate requests on NATS…`);
    trace = await traceTollgate(tollgate, {
      natsUrl: tollgate.natsUrl,
      requests: options.traceRequests,
      body: chatBody('fast'),
    }).catch((error) => ({ error: `${error?.message ?? error}` }));
  }

  // --- Exactness: Tollgate's books against every request the bench sent it, once the last one settled ---
  let exactness = null;
  if (tollgate && targets.tollgate.status === 'measured' && tollgate.isAlive()) {
    const drained = await settle(tollgate);
    log("checking Tollgate's books against the requests the bench sent (admin API)…");
    exactness = await tollgate.checkExactness().catch((error) => ({ error: `${error?.message ?? error}` }));
    // A backlog that did not drain explains open holds and missing charges: the figures say so.
    if (drained?.left) exactness.settlementBacklogLeft = drained.left;
    log(
      exactness.error
        ? `exactness check failed: ${exactness.error}`
        : `exactness ${exactness.met ? 'MET' : 'NOT MET'}: ${exactnessFigure(exactness)}`,
    );
  }

  // --- Figures, report, raw results ---
  const summaries = {};
  for (const target of live) {
    if (!Object.keys(targets[target.name].slices).length) continue;
    summaries[target.name] = aggregateTarget(targets[target.name]);
    const labels = target.processGroups().map((group) => group.label);
    summaries[target.name].highWaterMb = sampler.highWaterMarksMb(labels);
    summaries[target.name].idleCpuShare = targets[target.name].idleCpuShare;
    summaries[target.name].startRssMb = targets[target.name].startRssMb;
  }
  const added = Object.fromEntries(
    Object.keys(summaries).map((name) => [name, addedOverDirect(summaries[name], summaries.direct)]),
  );
  const peers = Object.fromEntries(Object.entries(summaries).filter(([name]) => name !== 'tollgate'));
  const ratios = summaries.tollgate ? computeRatios(summaries.tollgate, peers) : {};
  const goals = evaluateGoals({
    tollgate: summaries.tollgate,
    direct: summaries.direct,
    portkey: summaries.portkey,
    nginx: summaries.nginx,
    added: added.tollgate,
    tollgateStatus: targets.tollgate?.status,
    exactness,
  });
  const machine = {
    ...machineAtStart,
    // Other work on a shared machine shows here; interleaving spreads it, it does not remove it.
    loadAverageAtEnd: os.loadavg(),
    versions: {
      nginx: targets.nginx?.version ?? null,
      portkey: targets.portkey?.version ?? null,
      postgres: tollgate?.postgresVersion ?? null,
      natsServer: tollgate?.natsVersion ?? null,
    },
  };
  const run = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    options,
    machine,
    phases: phases.map(({ id, title, profile }) => ({
      id,
      title,
      profile,
      model: (PROFILES[profile] ?? DIALECT_PROFILES[profile]).model,
    })),
    targets: Object.fromEntries(
      Object.entries(targets).map(([name, t]) => [
        name,
        { status: t.status, reason: t.reason, version: t.version, notes: t.notes },
      ]),
    ),
    summaries,
    added,
    ratios,
    goals,
    settlement: summaries.tollgate ? settlement : null,
    trace,
    exactness,
    profiles: live.find((target) => target.profileDir)?.profileDir ?? null,
    raw: Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, rawSlices(t.slices)])),
  };
  const report = renderReport(run);
  // Everything the bench started is stopped before the report is written (CPU profiles are written on exit).
  await cleanup();

  let profileText = '';
  if (run.profiles) {
    const windows = Object.values(targets.tollgate?.slices ?? {})
      .flat()
      .filter((slice) => slice.hrStartUs)
      .map((slice) => [slice.hrStartUs, slice.hrEndUs]);
    run.profileSummaries = summarizeProfileDir(run.profiles, 15, windows);
    const title = "Where the Tollgate services' CPU time went (node --cpu-prof, measured slices only)";
    profileText = `\n${title}\n${'='.repeat(title.length)}\n${run.profileSummaries.map(renderProfileSummary).join('\n\n')}\n`;
  }
  const file = join(RESULTS_DIR, `${options.runId}.json`);
  writeFileSync(file, JSON.stringify({ ...run, report: report + profileText }, jsonReplacer));
  console.log(report + profileText);
  console.log(`\nraw results: ${relative(process.cwd(), file)}`);
  if (run.profiles) console.log(`CPU profiles: ${relative(process.cwd(), run.profiles)}`);
}

/** One request per profile must succeed before anything is measured: a target answering errors fast is not fast. */
async function verify(target, options) {
  for (const profile of ['fast', 'slow']) {
    const client = sequentialClient(target.endpoint(profile));
    try {
      const { errors } = await client.run(chatBody(profile), 1);
      if (errors.count > 0)
        throw new TargetUnavailable(`smoke request (${PROFILES[profile].model}) failed: ${errors.samples[0]}`);
    } finally {
      await client.close();
    }
  }
  const stream = streamingClient(target.endpoint('stream'));
  try {
    const { errors } = await stream.run(streamBody(options.streamChunks), 1, options.streamChunks);
    // A target that cannot stream is still measured on the other phases; the stream phase shows its errors.
    if (errors.count > 0) log(`${target.name}: streaming smoke request failed: ${errors.samples[0]}`);
  } finally {
    await stream.close();
  }
  for (const id of options.dialectRequests > 0 ? Object.keys(DIALECT_PROFILES) : []) {
    const endpoint = target.dialectEndpoint?.(id);
    if (!endpoint) continue;
    const client = sequentialClient(endpoint);
    try {
      const { errors } = await client.run(endpoint.body, 1);
      // As for streaming: the other phases are still measured, the dialect phase shows its errors.
      if (errors.count > 0) log(`${target.name}: ${id} smoke request failed: ${errors.samples[0]}`);
    } finally {
      await client.close();
    }
  }
}

/**
 * CPU a target uses with no load at all (timers, polling consumers, health checks): it is part of every
 * slice's CPU figure, and at concurrency 1 it can be a visible share of the per-request figure.
 */
async function measureIdle(target, sampler) {
  await target.refreshPids?.();
  const window = sampler.open(target.processGroups().map((group) => group.label));
  const seconds = 2;
  await sleep(seconds * 1000);
  return Object.fromEntries(Object.entries(window.close()).map(([label, stats]) => [label, stats.cpuS / seconds]));
}

async function runSlice(target, phase, round, sampler) {
  await target.refreshPids?.();
  const labels = [
    ...target.processGroups().map((group) => group.label),
    `fake-provider ${PROFILES[phase.profile]?.upstream === 'fake50' ? '50' : '0'} ms`,
    'bench (load generator)',
  ];
  const window = sampler.open(labels);
  const startedAt = new Date().toISOString();
  // Monotonic µs, the clock of --cpu-prof samples: lets the profile summary keep only measured time.
  const hrStartUs = Number(process.hrtime.bigint() / 1000n);
  const stopActivity = phase.id.startsWith('c64') ? target.startActivitySampling?.() : undefined;
  try {
    const result = await phase.run(phase.endpointOf(target), round);
    const hrEndUs = Number(process.hrtime.bigint() / 1000n);
    const postgresActivity = stopActivity?.();
    return { round, startedAt, hrStartUs, hrEndUs, ...result, proc: window.close(), postgresActivity };
  } catch (error) {
    stopActivity?.();
    window.close();
    return { round, startedAt, failed: true, error: `${error?.message ?? error}` };
  }
}

/**
 * Waits until the target has finished the work the last slice caused: Tollgate's settlement backlog in
 * JetStream is drained, and the target's processes are idle. Bounded by the timeouts above.
 */
async function settle(target) {
  let drained = null;
  if (target.settlementBacklog) {
    const started = Date.now();
    let first = null;
    let last = null;
    while (Date.now() - started < BACKLOG_DRAIN_TIMEOUT_MS) {
      last = await target.settlementBacklog().catch(() => null);
      first ??= last;
      if (!last || last.backlog === 0) break;
      await sleep(100);
    }
    drained = { backlog: first?.backlog ?? 0, drainMs: Date.now() - started, left: last?.backlog ?? null };
  }
  const pids = target.processGroups().flatMap((group) => group.pids());
  if (pids.length === 0) return drained;
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const before = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    await sleep(250);
    const after = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    if ((after - before) / 0.25 < IDLE_CPU_SHARE) break;
  }
  return drained;
}

function rotate(list, by) {
  const n = list.length;
  return list.map((_, i) => list[(i + by) % n]);
}

function describeSlice(phaseId, slice) {
  const ms = (us) => (us / 1000).toFixed(3);
  const p = (values) => {
    const sorted = Float64Array.from(values).sort();
    return (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] : NaN);
  };
  if (slice.routes) {
    return Object.entries(slice.routes)
      .map(([id, route]) => {
        const q = p(route.latenciesUs);
        return `${id}: ${route.latenciesUs.length} ok, p50 ${ms(q(50))} ms, p99 ${ms(q(99))} ms, errors ${route.errors.count}`;
      })
      .join(' · ');
  }
  if (phaseId === 'c1') {
    const q = p(slice.latenciesUs);
    return `${slice.latenciesUs.length} ok, p50 ${ms(q(50))} ms, p99 ${ms(q(99))} ms, errors ${slice.errors.count}`;
  }
  if (phaseId === 'stream') {
    const t = p(slice.ttfcUs);
    const total = p(slice.totalUs);
    return `${slice.ttfcUs.length} ok, TTFC p50 ${ms(t(50))} ms, total p50 ${ms(total(50))} ms, errors ${slice.errors.count}`;
  }
  const q = p(slice.latenciesUs);
  return `${slice.rps.toFixed(0)} req/s, p50 ${ms(q(50))} ms, p99 ${ms(q(99))} ms, errors ${slice.errorsTotal}`;
}

/**
 * Raw samples for the JSON: every latency of the sequential and streaming phases; for the concurrency
 * phases (up to ~100k samples a slice) a per-slice summary instead of the samples themselves.
 */
function rawSlices(slices) {
  return Object.fromEntries(
    Object.entries(slices).map(([phaseId, list]) => [
      phaseId,
      list.map((slice) =>
        phaseId.startsWith('c64') && slice.latenciesUs
          ? { ...slice, latenciesUs: undefined, latencySummaryUs: summarize(slice.latenciesUs) }
          : slice,
      ),
    ]),
  );
}

/** Raw latency arrays are kept in µs, rounded to 0.1 µs to keep the JSON readable. */
function jsonReplacer(key, value) {
  if (Array.isArray(value) && /Us$/.test(key) && typeof value[0] === 'number')
    return value.map((v) => Math.round(v * 10) / 10);
  return value;
}

main()
  .catch(async (error) => {
    process.stderr.write(`bench: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
  });
