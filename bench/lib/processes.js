/**
 * Process plumbing: every child the bench starts is registered here, and so is every other thing to undo
 * (a database to drop, a temp dir to remove). `cleanup()` undoes all of it, newest first, exactly once —
 * at the normal end, on Ctrl-C/SIGTERM and on a crash — so a failed run never leaves an nginx or a
 * nats-server holding a port, or a database behind.
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';

const OUTPUT_TAIL_BYTES = 16 * 1024;

/** Undo steps, run in reverse order of registration. */
const undoSteps = [];
let cleanupPromise = null;

export function onCleanup(label, fn) {
  undoSteps.push({ label, fn });
}

export function cleanup() {
  cleanupPromise ??= (async () => {
    while (undoSteps.length > 0) {
      const step = undoSteps.pop();
      try {
        await step.fn();
      } catch (error) {
        process.stderr.write(`bench: clean-up of ${step.label} failed: ${error?.message ?? error}\n`);
      }
    }
  })();
  return cleanupPromise;
}

/**
 * Ctrl-C and SIGTERM stop the run but still clean up; a second Ctrl-C while cleaning up is ignored on
 * purpose (killing the bench then would orphan exactly the processes we are stopping). Clean-up itself is
 * bounded: each child gets SIGKILL after its grace period.
 */
export function installSignalHandlers() {
  const onSignal = (signal) => {
    process.stderr.write(`\nbench: ${signal} received, stopping everything the bench started…\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // A bug in a callback must not leave nginx, nats-server or the services running either.
  const onCrash = (error) => {
    process.stderr.write(`bench: ${error?.stack ?? error}\n`);
    void cleanup().finally(() => process.exit(1));
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}

/**
 * Spawns a child whose output is kept (last 16 KiB) so a failure can be reported with what the child said,
 * and registers its termination. `onLine` sees every stdout/stderr line (used to wait for "listening" lines).
 */
export function spawnManaged(name, command, args, { env, cwd, stopSignal = 'SIGTERM', graceMs = 5000 } = {}) {
  const child = spawn(command, args, { env: env ?? process.env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const lineListeners = new Set();
  let pending = '';
  const collect = (chunk) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_BYTES);
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) for (const listener of lineListeners) listener(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A missing binary: 'error' and no 'exit'.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });

  let exitInfo = null;
  void exited.then((info) => (exitInfo = info));
  const handle = {
    name,
    child,
    /** How it ended: "exit code 1", "signal SIGKILL", or null while running. */
    exitDescription: () =>
      exitInfo &&
      (exitInfo.error?.message ?? (exitInfo.signal ? `signal ${exitInfo.signal}` : `exit code ${exitInfo.code}`)),
    get pid() {
      return child.pid;
    },
    exited,
    isRunning: () => child.exitCode === null && child.signalCode === null && child.pid !== undefined,
    output: () => tail,
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    stop: () => stopChild(child, exited, stopSignal, graceMs),
  };
  onCleanup(name, handle.stop);
  return handle;
}

async function stopChild(child, exited, signal, graceMs) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the first line matching `pattern`, or rejects on timeout or if the child exits first. */
export function waitForLine(handle, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const existing = handle
      .output()
      .split('\n')
      .find((line) => pattern.test(line));
    if (existing) return resolve(existing.match(pattern));
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${handle.name} did not print ${pattern} within ${timeoutMs} ms:\n${handle.output()}`));
    }, timeoutMs);
    const off = handle.onLine((line) => {
      const match = line.match(pattern);
      if (match) {
        clearTimeout(timer);
        off();
        resolve(match);
      }
    });
    void handle.exited.then(({ code, signal, error }) => {
      clearTimeout(timer);
      off();
      reject(
        new Error(`${handle.name} exited (${error?.message ?? `code ${code}, signal ${signal}`}):\n${handle.output()}`),
      );
    });
  });
}

/** A port the kernel just gave us on loopback; there is a small race until the child binds it. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function isListening(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every 100 ms until it is truthy; bounded by `timeoutMs`. A check that throws ends the wait
 * at once (e.g. "the process we are waiting for has exited": no point waiting a minute for it).
 */
export async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await check();
    if (result) return result;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
