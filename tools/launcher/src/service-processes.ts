import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, createConnection } from 'node:net';
import { mkdirSync } from 'node:fs';

/**
 * Process plumbing shared by `npm start` and the end-to-end tests: free
 * ports, a private nats-server, the compiled services as child processes,
 * and waiting for them.
 */

export const SUITE_SERVICES = ['auth', 'router', 'billing', 'edge'] as const;
export type SuiteService = (typeof SUITE_SERVICES)[number];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Whether what listens on host:port is a NATS server: one greets every
 * connection with `INFO {…}` before the client says anything. A program
 * that stays silent, or says something else, within `timeoutMs` is not one.
 */
export function speaksNats(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    let greeting = '';
    const finish = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      done(answer);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      greeting += chunk.toString('latin1');
      if (greeting.length >= 'INFO {'.length || !'INFO {'.startsWith(greeting)) finish(greeting.startsWith('INFO {'));
    });
    socket.once('error', () => finish(false));
    socket.once('end', () => finish(false));
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The nats-server binary: on PATH, or where Debian's package puts it. */
export function findNatsServer(): string | null {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/** A nats-server with JetStream on loopback, storing under `storeDir`. */
export async function startNatsServer(binary: string, port: number, storeDir: string): Promise<ChildProcess> {
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
  await waitFor(() => isListening('127.0.0.1', port), 10_000, `nats-server on port ${port}`);
  return child;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote, for tests that look for a tid in the logs. */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Node flags every service runs with; the Dockerfile sets the same in NODE_OPTIONS (README, "Operating it").
 * A young generation of 8 MB semi-spaces instead of V8's 16 MB: billing and router peaked 13–30 MB lower
 * under the bench's load, with no CPU cost we could measure.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8'];

/** A service for the end-to-end tests, its output kept in memory (`npm start` writes it to files: logged-process.ts). */
export function spawnService(name: string, entry: string, env: NodeJS.ProcessEnv): ServiceProcess {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, output: () => output, exited };
}

/** SIGTERM, then SIGKILL if the process has not exited in time; says which ended it. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<'stopped' | 'killed'> {
  if (child.exitCode !== null || child.signalCode !== null) return 'stopped';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let killed = false;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  return killed ? 'killed' : 'stopped';
}
