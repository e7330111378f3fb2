import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromFileToo, loadConfig, natsUrl, num, port, positiveMs, postgresUrl, str } from '@tollgate/config';
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from '@tollgate/db';
import { createLogger } from '@tollgate/observability';
import { spawnLogged, type LoggedProcess } from './logged-process.js';
import { ServiceLog, summarise } from './service-log.js';
import {
  SUITE_SERVICES,
  findNatsServer,
  isListening,
  speaksNats,
  startNatsServer,
  stopProcess,
  waitFor,
} from './service-processes.js';
import { stopStages } from './stop-order.js';

/**
 * `npm start`: the whole suite on one machine with zero configuration. It
 * provides the infrastructure defaults (embedded PostgreSQL when DATABASE_URL
 * is unset, a private nats-server when nothing answers on the default
 * NATS_URL), runs the four services as separate processes, prints where to
 * reach them, and stops everything on Ctrl-C. Every process's JSON log goes
 * to `<DATA_DIR>/logs/<name>.log`, the launcher's own included; a terminal
 * gets the banner and a one-line summary of each warning or error.
 */
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const config = loadConfig('tollgate', {
  DATABASE_URL: fromFileToo(postgresUrl({ default: '' })),
  NATS_URL: natsUrl({ default: DEFAULT_NATS_URL }),
  DATA_DIR: str({ default: '.data' }),
  EMBEDDED_PG_PORT: num({ default: 54329 }),
  EDGE_HOST: str({ default: '127.0.0.1' }),
  EDGE_PORT: port({ default: 8080 }),
  FAKE_PROVIDER_PORT: port({ default: 9090 }),
  TOLLGATE_ROOT_KEY: fromFileToo(str({ default: '' })),
  // The edge's own setting (edge.config.ts): the launcher waits that long for its streams, and a little more.
  SHUTDOWN_STREAM_DEADLINE_MS: positiveMs({ default: 5000 }),
});
const withFakeProvider = process.argv.includes('--with-fake-provider');
const distDir = resolve(fileURLToPath(import.meta.url), '../../..');
const dataDir = resolve(config.DATA_DIR);
const logDir = resolve(dataDir, 'logs');
/** Lines of an exited process's log shown on the terminal. */
const TAIL_LINES = 20;

/** On a terminal, each warning or error of any process as one line; elsewhere (a pipe, a file) nothing: see the files. */
const showWarnings = process.stdout.isTTY
  ? (line: string) => {
      const summary = summarise(line);
      if (summary) process.stdout.write(`${summary}\n`);
    }
  : undefined;
// The embedded PostgreSQL, run as the postgres user when the launcher runs as root, must enter DATA_DIR.
mkdirSync(dataDir, { recursive: true, mode: 0o755 });
const launcherLog = new ServiceLog(logDir, 'launcher', showWarnings);
const logger = createLogger('launcher', 'info', {}, launcherLog);

const children: LoggedProcess[] = [];
let nats: ChildProcess | undefined;
let database: EmbeddedDatabase | undefined;
let stopping = false;

async function main(): Promise<void> {
  process.stdout.write('Starting Tollgate…\n');
  // NATS first: telling what answers on its port takes a moment, starting PostgreSQL several.
  await ensureNats();
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    database = await ensureEmbeddedPostgres(dataDir, config.EMBEDDED_PG_PORT, logger);
    databaseUrl = database.url;
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: config.NATS_URL,
    DATA_DIR: dataDir,
  };
  // The services get the URL itself (read from the file, or the embedded one's); both would stop them.
  delete env.DATABASE_URL_FILE;
  const start = (name: string, entry: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const child = spawnLogged(name, entry, { ...env, ...extraEnv }, new ServiceLog(logDir, name, showWarnings));
    children.push(child);
    void child.exited.then((code) => {
      if (!stopping) void exitedEarly(child, code);
    });
  };
  for (const name of SUITE_SERVICES) start(name, resolve(distDir, 'apps', name, 'main.js'));
  if (withFakeProvider) {
    start('fake-provider', resolve(distDir, 'tools', 'fake-provider', 'main.js'), {
      FAKE_PROVIDER_PORT: String(config.FAKE_PROVIDER_PORT),
    });
  }

  const edgeUrl = `http://${config.EDGE_HOST}:${config.EDGE_PORT}`;
  await waitFor(
    async () => (await fetch(`${edgeUrl}/healthz`).catch(() => null))?.status === 200,
    60_000,
    'every service to answer /healthz',
  );
  // Auth's stdout is a pipe here, so auth never shows the key it generates: the launcher points at its file.
  const rootKeyFile = resolve(dataDir, 'root-key');
  const lines = [
    'Tollgate is up.',
    `  Edge:             ${edgeUrl}`,
    `  OpenAI base URL:  ${edgeUrl}/v1`,
    `  Admin API:        ${edgeUrl}/admin/v1`,
    config.TOLLGATE_ROOT_KEY
      ? '  Root key:         the one in TOLLGATE_ROOT_KEY (or its _FILE)'
      : existsSync(rootKeyFile)
        ? `  Root key:         in ${rootKeyFile} (readable by you only)`
        : `  Root key:         not in ${rootKeyFile}; the root was created on an earlier start (from TOLLGATE_ROOT_KEY, or the file was removed)`,
    ...(withFakeProvider ? [`  Fake provider:    http://127.0.0.1:${config.FAKE_PROVIDER_PORT}/v1`] : []),
    `  Logs:             ${logDir}/<service>.log${showWarnings ? ' (warnings and errors also below)' : ''}`,
    'Ctrl-C stops everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A process that exited on its own: what it last wrote says why; the suite cannot run without it. */
async function exitedEarly(child: LoggedProcess, code: number | null): Promise<void> {
  logger.error({ process: child.name, code }, 'a process exited; stopping the suite');
  const tail = child.log.tail(TAIL_LINES).map((line) => `  ${line}`);
  process.stderr.write(
    `tollgate: ${child.name} exited (code ${code}); the suite stops. Its last log lines, from ${child.log.path}:\n` +
      `${tail.join('\n')}\n`,
  );
  await shutdown(1);
}

async function ensureNats(): Promise<void> {
  const first = config.NATS_URL.split(',')[0] ?? DEFAULT_NATS_URL;
  // natsUrl() accepted it: a URL, or host[:port], which the NATS client reads as nats://.
  const url = new URL(first.includes('://') ? first : `nats://${first}`);
  const host = url.hostname || '127.0.0.1';
  const natsPort = Number(url.port || 4222);
  if (await isListening(host, natsPort)) {
    // Joined, as the system's NATS on the default URL is; unless it is not NATS at all.
    if (await speaksNats(host, natsPort)) return;
    throw new Error(
      `port ${natsPort} on ${host} is taken by another process (not a NATS server); ` +
        'set NATS_URL to a NATS server, or free the port for `npm start` to run one',
    );
  }
  const binary = findNatsServer();
  if (config.NATS_URL !== DEFAULT_NATS_URL || !binary) {
    // Thrown, not exited on: the embedded PostgreSQL may be running already, and shutdown() stops it.
    throw new Error(
      `nothing answers at ${config.NATS_URL}.\n` +
        (binary
          ? 'Start NATS there, or unset NATS_URL to let `npm start` run one.'
          : 'Install nats-server (Debian/Ubuntu: `apt-get install nats-server`; others: see nats.io) ' +
            'or point NATS_URL at a running NATS server with JetStream.'),
    );
  }
  logger.info({ port: natsPort }, 'starting nats-server with JetStream under the data directory');
  nats = await startNatsServer(binary, natsPort, resolve(dataDir, 'nats'));
}

/**
 * How long a process may take to stop before it is killed: a backstop, as
 * each stops once it has finished its work. The edge's streams may run
 * SHUTDOWN_STREAM_DEADLINE_MS; its settlements and NATS drain follow.
 */
function stopGraceMs(name: string): number {
  return name === 'edge' ? config.SHUTDOWN_STREAM_DEADLINE_MS + 2000 : 5000;
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const stage of stopStages(children)) {
    await Promise.all(
      stage.map(async (proc) => {
        const graceMs = stopGraceMs(proc.name);
        if ((await stopProcess(proc.child, graceMs)) === 'killed') {
          logger.warn({ process: proc.name, graceMs }, 'a process did not stop in time and was killed');
        }
      }),
    );
  }
  if (nats) await stopProcess(nats);
  await database?.stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// The launcher's first process is gone (own-session.ts): nobody is left to stop the suite but us.
process.on('disconnect', () => void shutdown(0));
main().catch((error: unknown) => {
  process.stderr.write(`tollgate: ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
