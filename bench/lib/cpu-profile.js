/**
 * Reads the `.cpuprofile` files written by `node --cpu-prof` (run with `npm run bench -- --cpu-prof`) and
 * tells where each service's CPU time went: self time per function and per origin (Tollgate's own code,
 * each npm package, Node internals, GC). Idle time is left out, so percentages are of busy time. A profile
 * covers the whole process life, start-up included; under a few minutes of load, start-up is a small share.
 *
 * Also usable alone: `node bench/lib/cpu-profile.js FILE.cpuprofile [...]`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';

function origin(url) {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/\/dist\/(apps\/[^/]+|libs\/[^/]+|tools\/[^/]+)/) ?? url.match(/\/(libs\/[^/]+)\/dist\//);
  if (own) return `tollgate ${own[1]}`;
  return url.replace(/^file:\/\//, '');
}

/**
 * `windows`: optional [startUs, endUs] ranges on the monotonic clock (process.hrtime in µs — the clock V8's
 * profiler stamps samples with, shared by all processes on Linux). Only samples inside them count, which
 * leaves out start-up, warm-up and the idle time between slices.
 */
export function summarizeProfile(file, top = 15, windows = null) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inWindow = (t) => !windows || windows.some(([start, end]) => t >= start && t <= end);
  const selfUs = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (!inWindow(t)) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // For native functions (a socket write, a hash): the nearest caller in a package or in Tollgate's code
  // says who pays for them, e.g. writeBuffer "via @nats-io/transport-node _send".
  const payerOf = (id) => {
    for (let cur = parentOf.get(id), hops = 0; cur !== undefined && hops < 30; cur = parentOf.get(cur), hops++) {
      const { url, functionName } = byId.get(cur).callFrame;
      if (url && !url.startsWith('node:')) return `${origin(url)} ${functionName || '(anonymous)'}`;
    }
    return null;
  };
  const payers = new Map(); // function key → Map(payer → µs)
  const functions = new Map();
  const origins = new Map();
  let busyUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const where = callFrame.url
      ? `${callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${callFrame.lineNumber + 1}`
      : '';
    const key = `${name} ${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    if (!callFrame.url && !name.startsWith('(')) {
      const payer = payerOf(id);
      if (payer) {
        const perPayer = payers.get(key) ?? payers.set(key, new Map()).get(key);
        perPayer.set(payer, (perPayer.get(payer) ?? 0) + us);
      }
    }
    const from = name.startsWith('(') ? name : origin(callFrame.url);
    origins.set(from, (origins.get(from) ?? 0) + us);
  }
  const ranked = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => {
        const via = payers.get(key);
        const viaText = via
          ? [...via.entries()]
              .sort((a, b) => b[1] - a[1])
              .slice(0, 2)
              .map(([payer, payerUs]) => `${payer} ${Math.round((payerUs / us) * 100)}%`)
              .join(', ')
          : null;
        return { key, ms: Math.round(us / 1000), share: busyUs ? us / busyUs : 0, via: viaText };
      });
  return {
    file: basename(file),
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    origins: ranked(origins),
    functions: ranked(functions),
  };
}

export function summarizeProfileDir(dir, top = 15, windows = null) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()
    .map((name) => summarizeProfile(join(dir, name), top, windows));
}

export function renderProfileSummary(summary) {
  const pct = (share) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `${summary.file}: ${summary.busyMs} ms busy (${summary.idleMs} ms idle)`,
    '  by origin:',
    ...summary.origins.slice(0, 10).map((entry) => `    ${pct(entry.share)}  ${entry.key}`),
    '  top functions (self time):',
    ...summary.functions.map(
      (entry) => `    ${pct(entry.share)}  ${entry.key.trimEnd()}${entry.via ? ` (via ${entry.via})` : ''}`,
    ),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of process.argv.slice(2)) console.log(renderProfileSummary(summarizeProfile(file, 25)), '\n');
}
