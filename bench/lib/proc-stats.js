/**
 * Memory and CPU of the processes behind each target, read from /proc (Linux only — the bench machine).
 *
 * RSS: sampled every 250 ms while load runs; we keep the highest sum per group (a group is one service, or
 * e.g. nginx's master + workers). Sampling VmRSS under load, rather than reading VmHWM once, tells the peak
 * *during the measured phases* and not a start-up spike (migrations, module loading). VmHWM at the end is
 * recorded as well.
 *
 * CPU: utime + stime before and after each measured slice give CPU seconds per group, and divided by the
 * number of requests, the CPU cost per request of each process — the clearest view of where a gateway's
 * time goes (edge vs auth vs router vs billing vs NATS vs PostgreSQL).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64

function readStatusKb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process is gone
  }
}

export const rssKb = (pid) => readStatusKb(pid, 'VmRSS');
export const hwmKb = (pid) => readStatusKb(pid, 'VmHWM');

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Direct children of a process (nginx's workers); /proc/<pid>/task/<tid>/children lists them per thread. */
export function childPids(pid) {
  const pids = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone, or a kernel without CONFIG_PROC_CHILDREN: the parent alone is still counted
  }
  return pids;
}

/**
 * A group of processes measured together: `label` (e.g. "tollgate/edge"), `pids()` (re-evaluated every
 * sample, so nginx workers or PostgreSQL backends that come and go are followed), `role`:
 * 'gateway' (counts for the gateway's figures), 'infra' (NATS, PostgreSQL: Tollgate's dependencies),
 * 'upstream' (the fake provider, shared by all) or 'client' (the load generator).
 */
export class ProcSampler {
  constructor(intervalMs = 250) {
    this.intervalMs = intervalMs;
    this.groups = new Map();
    this.windows = new Set();
    this.timer = null;
  }

  track(label, pids, role) {
    this.groups.set(label, { label, pids, role });
  }

  untrack(label) {
    this.groups.delete(label);
  }

  start() {
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  sample() {
    if (this.windows.size === 0) return;
    for (const group of this.groups.values()) {
      const kb = safePids(group).reduce((sum, pid) => sum + rssKb(pid), 0);
      for (const window of this.windows) {
        if (!window.labels.has(group.label)) continue;
        window.peakKb[group.label] = Math.max(window.peakKb[group.label] ?? 0, kb);
      }
    }
  }

  /**
   * Opens a measuring window over some groups: peak RSS is tracked while it is open, and CPU seconds are
   * taken at open and close. `close()` returns { [label]: { peakRssMb, cpuS } }.
   */
  open(labels) {
    const window = { labels: new Set(labels), peakKb: {}, cpuStart: {} };
    for (const label of labels) {
      const group = this.groups.get(label);
      if (group) window.cpuStart[label] = cpuByPid(group);
    }
    this.windows.add(window);
    this.sample();
    return {
      close: () => {
        this.sample();
        this.windows.delete(window);
        const out = {};
        for (const label of window.labels) {
          const group = this.groups.get(label);
          if (!group) continue;
          out[label] = {
            role: group.role,
            peakRssMb: (window.peakKb[label] ?? 0) / 1024,
            cpuS: cpuSince(group, window.cpuStart[label] ?? new Map()),
          };
        }
        return out;
      },
    };
  }

  /** VmHWM (peak RSS since start) of each group, summed over its current processes. */
  highWaterMarksMb(labels) {
    const out = {};
    for (const label of labels) {
      const group = this.groups.get(label);
      if (group) out[label] = safePids(group).reduce((sum, pid) => sum + hwmKb(pid), 0) / 1024;
    }
    return out;
  }
}

function safePids(group) {
  try {
    return group.pids().filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

/** CPU seconds per pid, so that processes appearing or leaving during a window are accounted for. */
function cpuByPid(group) {
  return new Map(safePids(group).map((pid) => [pid, cpuSeconds(pid)]));
}

/**
 * CPU used by a group since `start` (a cpuByPid map): per pid still alive, its CPU minus its CPU at the
 * start — all of it for a process that started during the window (a new PostgreSQL backend). A process
 * that ended during the window is lost; none of the measured ones should.
 */
function cpuSince(group, start) {
  let total = 0;
  for (const pid of safePids(group)) total += Math.max(0, cpuSeconds(pid) - (start.get(pid) ?? 0));
  return total;
}
