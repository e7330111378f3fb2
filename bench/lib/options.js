/**
 * What to run and for how long. Every figure has a flag and an environment variable (flags win), so a
 * developer can run a quick smoke (`--quick`) and CI or a release check can run longer without editing code.
 *
 * Totals are per target and are split evenly over the rounds: with `--rounds 2 --duration 20` each target
 * gets two 10 s slices at concurrency 64, interleaved with the other targets' slices (see run.js for why).
 */
import { parseArgs } from 'node:util';
import process from 'node:process';

const ALL_TARGETS = ['direct', 'nginx', 'portkey', 'tollgate'];

/** Full run: ~4–5 minutes on the 2-core dev machine with all four targets. */
const FULL = {
  rounds: 2,
  seqRequests: 2000,
  durationS: 20,
  connections: 64,
  streamRequests: 200,
  streamChunks: 100,
  dialectRequests: 2000,
  warmupRequests: 300,
  warmupDurationS: 2,
  sliceWarmupRequests: 50,
};

/** Smoke run: proves every target starts, answers and is measured; figures are indicative only. */
const QUICK = {
  rounds: 1,
  seqRequests: 200,
  durationS: 3,
  connections: 64,
  streamRequests: 30,
  streamChunks: 100,
  dialectRequests: 100,
  warmupRequests: 50,
  warmupDurationS: 1,
  sliceWarmupRequests: 10,
};

const USAGE = `usage: npm run bench -- [options]      (or: node bench/run.js [options] after npm run build)

  --quick                    short smoke run (1 round, 200 sequential requests, 3 s at c=64, 30 streams)
  --targets LIST             comma-separated subset of ${ALL_TARGETS.join(',')}   (BENCH_TARGETS)
  --rounds N                 interleaved rounds; totals below are split over them  (BENCH_ROUNDS, default ${FULL.rounds})
  --seq-requests N           concurrency-1 requests per target, 0 ms upstream  (BENCH_SEQ_REQUESTS, default ${FULL.seqRequests})
  --duration S               seconds at concurrency C per target and profile   (BENCH_DURATION_S, default ${FULL.durationS})
  --connections C            concurrency of the throughput phases              (BENCH_CONNECTIONS, default ${FULL.connections})
  --stream-requests N        sequential streaming requests per target          (BENCH_STREAM_REQUESTS, default ${FULL.streamRequests})
  --stream-chunks N          content chunks per streamed answer                (BENCH_STREAM_CHUNKS, default ${FULL.streamChunks})
  --dialect-requests N       concurrency-1 requests per client-dialect route (Responses and Messages, each
                             native and translated; Tollgate and direct only)  (BENCH_DIALECT_REQUESTS, default ${FULL.dialectRequests})
  --no-50ms                  skip the concurrency run against the 50 ms upstream
  --log-level L              LOG_LEVEL of the Tollgate services                (BENCH_LOG_LEVEL, default warn)
  --nginx-workers N|auto     nginx worker_processes                            (BENCH_NGINX_WORKERS, default 1)
  --cpu-prof                 run the Tollgate services under node --cpu-prof; profiles land in bench/results/
  --tollgate-users N         spread Tollgate's load over N users/keys (default 1: one tenant, hot rows)
  --tollgate-env K=V         extra environment for the Tollgate services (repeatable, NODE_OPTIONS too), for experiments
  --no-trace                 skip the NATS wire-tap timeline of Tollgate requests (run after the measurements)
  --database-url URL         server to create the throw-away database on       (BENCH_DATABASE_URL,
                             default postgres://postgres@127.0.0.1:5432/postgres)
  -h, --help                 this text`;

function positiveInt(name, raw) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function positiveNumber(name, raw) {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function parseEnvPairs(pairs) {
  const out = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--tollgate-env wants KEY=VALUE, got "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      targets: { type: 'string' },
      rounds: { type: 'string' },
      'seq-requests': { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'stream-requests': { type: 'string' },
      'stream-chunks': { type: 'string' },
      'dialect-requests': { type: 'string' },
      'no-50ms': { type: 'boolean' },
      'log-level': { type: 'string' },
      'nginx-workers': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'no-trace': { type: 'boolean' },
      'tollgate-users': { type: 'string' },
      'tollgate-env': { type: 'string', multiple: true },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { help: USAGE };

  const quick = values.quick ?? env.BENCH_QUICK === '1';
  const base = quick ? QUICK : FULL;
  const pick = (flag, envName) => values[flag] ?? (env[envName] || undefined);

  const targets = (pick('targets', 'BENCH_TARGETS') ?? ALL_TARGETS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of targets) {
    if (!ALL_TARGETS.includes(name)) throw new Error(`unknown target "${name}" (known: ${ALL_TARGETS.join(', ')})`);
  }
  // Added latency is measured against direct calls, so direct always runs.
  if (!targets.includes('direct')) targets.unshift('direct');

  const num = (flag, envName, fallback, parse = positiveInt) => {
    const raw = pick(flag, envName);
    return raw === undefined ? fallback : parse(`--${flag}`, raw);
  };
  const rounds = Math.max(1, num('rounds', 'BENCH_ROUNDS', base.rounds));
  const nginxWorkers = pick('nginx-workers', 'BENCH_NGINX_WORKERS') ?? '1';
  if (nginxWorkers !== 'auto') positiveInt('--nginx-workers', nginxWorkers);

  return {
    quick,
    targets: ALL_TARGETS.filter((name) => targets.includes(name)),
    rounds,
    seqRequests: num('seq-requests', 'BENCH_SEQ_REQUESTS', base.seqRequests),
    durationS: num('duration', 'BENCH_DURATION_S', base.durationS, positiveNumber),
    connections: Math.max(1, num('connections', 'BENCH_CONNECTIONS', base.connections)),
    streamRequests: num('stream-requests', 'BENCH_STREAM_REQUESTS', base.streamRequests),
    streamChunks: Math.max(1, num('stream-chunks', 'BENCH_STREAM_CHUNKS', base.streamChunks)),
    dialectRequests: num('dialect-requests', 'BENCH_DIALECT_REQUESTS', base.dialectRequests),
    with50ms: !(values['no-50ms'] ?? env.BENCH_NO_50MS === '1'),
    warmupRequests: base.warmupRequests,
    warmupDurationS: base.warmupDurationS,
    sliceWarmupRequests: base.sliceWarmupRequests,
    logLevel: pick('log-level', 'BENCH_LOG_LEVEL') ?? 'warn',
    nginxWorkers,
    cpuProf: values['cpu-prof'] ?? env.BENCH_CPU_PROF === '1',
    trace: !(values['no-trace'] ?? env.BENCH_NO_TRACE === '1'),
    tollgateUsers: Math.max(1, num('tollgate-users', 'BENCH_TOLLGATE_USERS', 1)),
    tollgateEnv: parseEnvPairs(values['tollgate-env'] ?? []),
    traceRequests: quick ? 50 : 300,
    databaseUrl: pick('database-url', 'BENCH_DATABASE_URL') ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}
