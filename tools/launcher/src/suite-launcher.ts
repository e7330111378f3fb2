import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, num, port, positiveMs, str } from '@tollgate/config';
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from '@tollgate/db';
import { createLogger } from '@tollgate/observability';
import {
  SUITE_SERVICES,
  findNatsServer,
  isListening,
  spawnService,
  startNatsServer,
  stopProcess,
  waitFor,
  type ServiceProcess,
} from './service-processes.js';
import { stopStages } from './stop-order.js';

/**
 * `npm start`: the whole suite on one machine with zero configuration. It
 * provides the infrastructure defaults (embedded PostgreSQL when DATABASE_URL
 * is unset, a private nats-server when nothing answers on the default
 * NATS_URL), runs the four services as separate processes, prints where to
 * reach them, and stops everything on Ctrl-C.
 */
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const config = loadConfig('tollgate', {
  DATABASE_URL: str({ default: '' }),
  NATS_URL: str({ default: DEFAULT_NATS_URL }),
  DATA_DIR: str({ default: '.data' }),
  EMBEDDED_PG_PORT: num({ default: 54329 }),
  EDGE_HOST: str({ default: '127.0.0.1' }),
  EDGE_PORT: port({ default: 8080 }),
  FAKE_PROVIDER_PORT: port({ default: 9090 }),
  TOLLGATE_ROOT_KEY: str({ default: '' }),
  // The edge's own setting (edge.config.ts): the launcher waits that long for its streams, and a little more.
  SHUTDOWN_STREAM_DEADLINE_MS: positiveMs({ default: 5000 }),
});
const withFakeProvider = process.argv.includes('--with-fake-provider');
const logger = createLogger('launcher');
const distDir = resolve(fileURLToPath(import.meta.url), '../../..');
const dataDir = resolve(config.DATA_DIR);

const children: ServiceProcess[] = [];
let nats: ChildProcess | undefined;
let database: EmbeddedDatabase | undefined;
let stopping = false;

async function main(): Promise<void> {
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    database = await ensureEmbeddedPostgres(dataDir, config.EMBEDDED_PG_PORT, logger);
    databaseUrl = database.url;
  }
  await ensureNats();

  const env = { ...process.env, DATABASE_URL: databaseUrl, NATS_URL: config.NATS_URL, DATA_DIR: dataDir };
  for (const name of SUITE_SERVICES) {
    const child = spawnService(name, resolve(distDir, 'apps', name, 'main.js'), env, (line) =>
      process.stdout.write(`${line}\n`),
    );
    children.push(child);
    void child.exited.then((code) => {
      if (!stopping) {
        logger.error({ service: name, code }, 'a service exited; stopping the suite');
        void shutdown(1);
      }
    });
  }
  if (withFakeProvider) {
    children.push(
      spawnService(
        'fake-provider',
        resolve(distDir, 'tools', 'fake-provider', 'main.js'),
        { ...env, FAKE_PROVIDER_PORT: String(config.FAKE_PROVIDER_PORT) },
        (line) => process.stdout.write(`${line}\n`),
      ),
    );
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
    `Tollgate is up: ${edgeUrl}  (OpenAI base URL: ${edgeUrl}/v1, admin API: ${edgeUrl}/admin/v1)`,
    config.TOLLGATE_ROOT_KEY
      ? 'Root key: the one in TOLLGATE_ROOT_KEY'
      : existsSync(rootKeyFile)
        ? `Root key: in ${rootKeyFile} (readable by you only)`
        : `Root key: not in ${rootKeyFile}; the root was created on an earlier start (from TOLLGATE_ROOT_KEY, or the file was removed)`,
    ...(withFakeProvider ? [`Fake provider: http://127.0.0.1:${config.FAKE_PROVIDER_PORT}/v1`] : []),
    'Ctrl-C stops everything.',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

async function ensureNats(): Promise<void> {
  const url = new URL(config.NATS_URL.split(',')[0]?.trim() || DEFAULT_NATS_URL);
  const host = url.hostname || '127.0.0.1';
  const natsPort = Number(url.port || 4222);
  if (await isListening(host, natsPort)) return;
  const binary = findNatsServer();
  if (config.NATS_URL !== DEFAULT_NATS_URL || !binary) {
    process.stderr.write(
      `tollgate: nothing answers at ${config.NATS_URL}.\n` +
        (binary
          ? 'Start NATS there, or unset NATS_URL to let `npm start` run one.\n'
          : 'Install nats-server (Debian/Ubuntu: `apt-get install nats-server`; others: see nats.io) ' +
            'or point NATS_URL at a running NATS server with JetStream.\n'),
    );
    process.exit(1);
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
          logger.warn({ service: proc.name, graceMs }, 'a service did not stop in time and was killed');
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
