/**
 * Tollgate as a user would deploy it on one machine: one replica of each service (auth, router, billing,
 * edge) as separate Node processes, a private nats-server with JetStream, and a fresh database on the local
 * PostgreSQL — with billing and routing fully on: every request is authenticated, routed, rate-limited,
 * held against a balance and settled through JetStream.
 *
 * Anything that prevents measuring it (a service not built yet, a start-up failure, a failing admin call,
 * a non-200 smoke request) becomes a TargetUnavailable with the precise reason and the service's output,
 * so the peers are still measured and the report says why Tollgate is missing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { pathToFileURL, URL } from 'node:url';
import { request } from 'undici';
import pg from 'pg';
import { DIALECT_PATHS, DIALECT_PROFILES, PROFILES, dialectBody, dialectHeaders } from '../profiles.js';
import { REPO_ROOT } from '../paths.js';
import { freePort, isListening, onCleanup, spawnManaged, waitFor } from '../processes.js';
import { TargetUnavailable } from './unavailable.js';
import { findNatsServer, NatsMonitor, natsServerVersion } from './nats.js';
import { setUpTollgate } from './tollgate-setup.js';
import { RequestTally, checkExactness } from '../exactness.js';

const SERVICES = ['auth', 'router', 'billing', 'edge'];
const HEALTH_TIMEOUT_MS = 60_000;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `sk-` + 48 base62 characters, the root key format auth expects. Rejection sampling keeps it unbiased. */
function generateRootKey() {
  let out = 'sk-';
  while (out.length < 51) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < 51) out += BASE62[byte % 62];
    }
  }
  return out;
}

export async function startTollgate({ upstreams, tempDir, options, resultsDir }) {
  const entries = Object.fromEntries(SERVICES.map((name) => [name, resolve(REPO_ROOT, `dist/apps/${name}/main.js`)]));
  const missing = SERVICES.filter((name) => !existsSync(entries[name]));
  if (missing.length > 0) {
    throw new TargetUnavailable(
      `${missing.map((name) => `dist/apps/${name}/main.js`).join(', ')} not built ` +
        `(${missing.join(' and ')} service${missing.length > 1 ? 's' : ''} not part of the build yet)`,
    );
  }
  const natsBinary = findNatsServer();
  if (!natsBinary) throw new TargetUnavailable('nats-server not found — `apt-get install nats-server`');

  // Whatever was started before a failure is stopped at once, so it does not run during the peers' slices.
  const started = [];
  try {
    return await startSuite({ natsBinary, entries, started, upstreams, tempDir, options, resultsDir });
  } catch (error) {
    for (const handle of started.reverse()) await handle.stop();
    throw error;
  }
}

async function startSuite({ natsBinary, entries, started, upstreams, tempDir, options, resultsDir }) {
  // --- NATS: private, JetStream on, loopback only, monitoring port for the settlement backlog ---
  const natsPort = await freePort();
  const natsMonitorPort = await freePort();
  const natsDir = join(tempDir, 'nats');
  mkdirSync(natsDir, { recursive: true });
  const nats = spawnManaged('nats-server', natsBinary, [
    '-a',
    '127.0.0.1',
    '-p',
    String(natsPort),
    '-m',
    String(natsMonitorPort),
    '-js',
    '-sd',
    natsDir,
  ]);
  started.push(nats);
  await waitFor(async () => nats.isRunning() && isListening(natsPort), 10_000, 'nats-server').catch(() => {
    throw new TargetUnavailable(`nats-server did not start: ${nats.output().trim()}`);
  });

  // --- PostgreSQL: a throw-away database, dropped at the end whatever happens ---
  const dbName = `tollgate_bench_${randomBytes(6).toString('hex')}`;
  const adminUrl = new URL(options.databaseUrl);
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
  } catch (error) {
    await admin.end().catch(() => {});
    throw new TargetUnavailable(`cannot create a database on ${adminUrl.host}: ${error.message}`);
  }
  const postgresVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
  onCleanup(`database ${dbName}`, async () => {
    // WITH (FORCE) (PostgreSQL 13+) ends sessions a killed service may have left behind.
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });
  const dbUrl = new URL(options.databaseUrl);
  dbUrl.pathname = `/${dbName}`;

  // --- The four services ---
  const edgePort = await freePort();
  const rootKey = generateRootKey();
  const dataDir = join(tempDir, 'tollgate-data');
  mkdirSync(dataDir, { recursive: true });
  // The bench's own NODE_OPTIONS (npm's, a debugger's) are not the services'; --tollgate-env NODE_OPTIONS=… is.
  const { NODE_OPTIONS: _benchNodeOptions, ...benchEnv } = process.env;
  const env = {
    ...benchEnv,
    NATS_URL: `nats://127.0.0.1:${natsPort}`,
    DATABASE_URL: dbUrl.toString(),
    DATA_DIR: dataDir,
    TOLLGATE_ROOT_KEY: rootKey,
    EDGE_HOST: '127.0.0.1',
    EDGE_PORT: String(edgePort),
    // The ops ports on any free port: an `npm start` on this machine holds the default ones.
    OPS_PORT: '0',
    // Logging is on the hot path (one access line per request at info); warn is what a loaded deployment runs.
    LOG_LEVEL: options.logLevel,
    CHANNEL_SECRET_KEY: randomBytes(32).toString('base64'),
    // The per-user limit has no admin API (only this setting): raised so that it is evaluated on every
    // request but never binds during the bench. The key's own limit is raised through the admin API.
    DEFAULT_USER_RPM: '100000000',
    // Experiments (--tollgate-env KEY=VALUE), e.g. RESERVE_SYNCHRONOUS_COMMIT=false, LOG_LEVEL=info or
    // NODE_OPTIONS=--max-semi-space-size=8.
    ...options.tollgateEnv,
  };
  const profileDir = options.cpuProf ? join(resultsDir, `profiles-${options.runId}`) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const { SERVICE_NODE_FLAGS: serviceNodeFlags } = await import(
    pathToFileURL(resolve(REPO_ROOT, 'dist/tools/launcher/service-processes.js')).href
  );
  const services = {};
  for (const name of SERVICES) {
    // The flags npm start and the tests run the services with (the Dockerfile sets the same in NODE_OPTIONS).
    const nodeArgs = [...serviceNodeFlags];
    if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`);
    services[name] = spawnManaged(`tollgate/${name}`, process.execPath, [...nodeArgs, entries[name]], {
      env,
      cwd: REPO_ROOT,
      graceMs: 10_000,
    });
    started.push(services[name]);
  }
  const failure = (what) => {
    const outputs = SERVICES.map((name) => {
      const tail = services[name].output().trim().split('\n').slice(-15).join('\n');
      const state = services[name].isRunning() ? 'running' : `exited: ${services[name].exitDescription() ?? '?'}`;
      return `--- ${name} (${state}) ---\n${tail}`;
    }).join('\n');
    return new TargetUnavailable(`${what}\n${outputs}`);
  };

  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  let lastHealth = 'no answer';
  try {
    await waitFor(
      async () => {
        const dead = SERVICES.find((name) => !services[name].isRunning());
        if (dead) throw new Error(`${dead} exited`);
        const res = await request(`${edgeUrl}/healthz`).catch(() => null);
        if (!res) return false;
        lastHealth = `${res.statusCode} ${await res.body.text()}`;
        return res.statusCode === 200;
      },
      HEALTH_TIMEOUT_MS,
      'GET /healthz = 200',
    );
  } catch (error) {
    throw failure(`the suite did not become healthy (${error.message}; last /healthz: ${lastHealth})`);
  }

  // --- Admin set-up: user, key, one channel per fake instance, prices, a top-up ---
  let setup;
  try {
    setup = await setUpTollgate({ edgeUrl, rootKey, upstreams, users: options.tollgateUsers });
  } catch (error) {
    throw failure(`admin set-up failed: ${error.message}`);
  }

  // Every request any phase sends to Tollgate is counted here, through the endpoints below (exactness.js).
  const tally = new RequestTally();
  const natsMonitor = new NatsMonitor(natsMonitorPort);
  // PostgreSQL backends serving our database: pools open connections as load grows, so the list is
  // refreshed before each slice and every second during it.
  const postgresPids = { current: [] };
  const refreshPids = async () => {
    const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    postgresPids.current = rows.map((row) => row.pid);
  };
  await refreshPids();
  const pidRefresher = setInterval(() => void refreshPids().catch(() => {}), 1000);
  pidRefresher.unref();
  return {
    name: 'tollgate',
    version: 'working tree (dist/)',
    notes: [
      `1 replica each of auth, router, billing, edge; LOG_LEVEL=${options.logLevel}; billing + routing on; ` +
        `${options.tollgateUsers} user(s)/key(s)` +
        (Object.keys(options.tollgateEnv).length ? `; env ${JSON.stringify(options.tollgateEnv)}` : ''),
      `nats-server private (JetStream), PostgreSQL ${postgresVersion} database ${dbName}`,
    ],
    postgresVersion,
    natsUrl: env.NATS_URL,
    natsVersion: natsServerVersion(natsBinary),
    endpoint(profile) {
      return {
        origin: edgeUrl,
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${setup.keys[0]}` },
        headerVariants: setup.keys.map((key) => ({ authorization: `Bearer ${key}` })),
        model: PROFILES[profile].model,
        tally,
      };
    },
    dialectEndpoint(id) {
      const profile = DIALECT_PROFILES[id];
      return {
        origin: edgeUrl,
        path: DIALECT_PATHS[profile.dialect],
        headers: dialectHeaders(profile.dialect, setup.keys[0]),
        body: dialectBody(profile.dialect, profile.model),
        tally,
      };
    },
    processGroups: () => [
      ...SERVICES.map((name) => ({ label: `tollgate/${name}`, role: 'gateway', pids: () => [services[name].pid] })),
      { label: 'tollgate/nats-server', role: 'infra', pids: () => [nats.pid] },
      // Backends' RSS includes the shared buffers they touched: the sum over-counts shared memory.
      { label: 'tollgate/postgres backends', role: 'infra', pids: () => postgresPids.current },
    ],
    refreshPids,
    /**
     * What the PostgreSQL backends of our database are doing, sampled every 100 ms while a slice runs
     * (pg_stat_activity: state + wait event). Many backends in Lock:transactionid means transactions queue on
     * the same rows; "idle in transaction" means a row lock is held while the service does a round trip.
     */
    startActivitySampling() {
      const counts = {};
      const waiting = {};
      let samples = 0;
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        admin
          .query('SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity WHERE datname = $1', [dbName])
          .then(({ rows }) => {
            samples++;
            for (const row of rows) {
              const key = `${row.state ?? '?'}${row.wait_event ? ` · ${row.wait_event_type}:${row.wait_event}` : ''}`;
              counts[key] = (counts[key] ?? 0) + 1;
              // For lock waits, which statement waits: that names the contended rows.
              if (row.wait_event_type === 'Lock') {
                const statement = `${key} · ${String(row.query).replace(/\s+/g, ' ').slice(0, 120)}`;
                waiting[statement] = (waiting[statement] ?? 0) + 1;
              }
            }
          })
          .catch(() => {})
          .finally(() => (busy = false));
      }, 100);
      timer.unref();
      return () => {
        clearInterval(timer);
        return { samples, backendsByActivity: counts, lockWaitsByStatement: waiting };
      };
    },
    /**
     * After the last request has settled: the books read through the admin API with the root key, against
     * the tally of what the bench sent and got back (exactness.js).
     */
    checkExactness: () => checkExactness({ edgeUrl, rootKey, userIds: setup.userIds, tally }),
    /** Settlements published but not yet processed by billing (JetStream consumer backlog). */
    settlementBacklog: () => natsMonitor.pendingSettlements(),
    isAlive: () => SERVICES.every((name) => services[name].isRunning()) && nats.isRunning(),
    deathReport: () => {
      const dead = [...SERVICES.map((name) => services[name]), nats].filter((handle) => !handle.isRunning());
      const what = dead.map((handle) => `${handle.name} (${handle.exitDescription() ?? '?'})`).join(', ');
      return failure(`${what} stopped during the run`).message;
    },
    async stop() {
      clearInterval(pidRefresher);
      // The edge first, so nothing new starts while the others stop; then NATS. The database is dropped by
      // its own clean-up step.
      for (const name of [...SERVICES].reverse()) await services[name].stop();
      await nats.stop();
    },
    profileDir,
  };
}
