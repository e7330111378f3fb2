import { num, str } from 'envalid';
import { positiveInt, positiveMs } from './integer-settings.js';

/** Settings every service shares; see the configuration table in README.md. */
export const commonSettings = {
  NATS_URL: str({ default: 'nats://127.0.0.1:4222', desc: 'NATS server(s), comma-separated' }),
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
  DATABASE_URL: str({
    default: '',
    desc: 'PostgreSQL URL; empty = an embedded PostgreSQL under DATA_DIR',
  }),
  DATA_DIR: str({ default: '.data', desc: 'Where the embedded PostgreSQL and the root key live' }),
  DATABASE_POOL_SIZE: positiveInt({ default: 10, desc: 'PostgreSQL connections per service process' }),
  EMBEDDED_PG_PORT: num({
    default: 54329,
    desc: 'Port of the embedded PostgreSQL (loopback only) used when DATABASE_URL is empty',
  }),
};
