import { num, str } from 'envalid';
import { intAtLeast, positiveInt, positiveMs } from './integer-settings.js';
import { fromFileToo } from './secret-files.js';
import { natsUrl, postgresUrl } from './url-settings.js';

/** Settings every service shares; see the configuration table in README.md. */
export const commonSettings = {
  NATS_URL: natsUrl({ default: 'nats://127.0.0.1:4222', desc: 'NATS server(s), comma-separated' }),
  NATS_REQUEST_TIMEOUT_MS: positiveMs({
    default: 3000,
    desc:
      'How long a service waits for another before answering 503 service_unavailable; billing drops a reserve that ' +
      'waited longer than this before reaching the database (the edge has given up on it), so set it alike on edge and billing',
  }),
  LOG_LEVEL: str({
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    desc: 'pino level of the JSON logs on stdout',
  }),
};

/** Settings of the services that own a PostgreSQL schema. */
export const databaseSettings = {
  DATABASE_URL: fromFileToo(
    postgresUrl({
      default: '',
      desc: 'PostgreSQL URL (or DATABASE_URL_FILE: a file holding it); empty = an embedded PostgreSQL under DATA_DIR',
    }),
  ),
  DATA_DIR: str({ default: '.data', desc: 'Where the embedded PostgreSQL and the root key live' }),
  DATABASE_POOL_SIZE: positiveInt({ default: 10, desc: 'PostgreSQL connections per service process' }),
  EMBEDDED_PG_PORT: num({
    default: 54329,
    desc: 'Port of the embedded PostgreSQL (loopback only) used when DATABASE_URL is empty',
  }),
};

/**
 * Each service's ops port when OPS_PORT is unset: distinct, so that the four
 * services of `npm start` share one host without a setting. Replicas on one
 * host set OPS_PORT themselves (0 = any free port); containers use 9400.
 */
export const DEFAULT_OPS_PORTS = { edge: 9400, auth: 9401, router: 9402, billing: 9403 } as const;

/** The ops port (metrics, liveness, readiness) every service serves; see README, "Operating it". */
export const opsSettings = (service: keyof typeof DEFAULT_OPS_PORTS) => ({
  OPS_HOST: str({
    default: '127.0.0.1',
    desc: 'Interface of the ops port (/metrics, /livez, /readyz); 0.0.0.0 in containers, so probes can reach it',
  }),
  OPS_PORT: intAtLeast(
    0,
    65_535,
  )({
    default: DEFAULT_OPS_PORTS[service],
    desc: 'Port of /metrics, /livez and /readyz: 9400 edge, 9401 auth, 9402 router, 9403 billing; 0 = any free port (logged as `ops listening`)',
  }),
  OPS_METRICS_TOKEN: fromFileToo(
    str({
      default: '',
      desc: 'When set (or OPS_METRICS_TOKEN_FILE), /metrics answers only `Authorization: Bearer <token>`; /livez and /readyz stay open for probes',
    }),
  ),
});
