import { makeValidator } from 'envalid';
import {
  bool,
  commonSettings,
  opsSettings,
  databaseSettings,
  fromFileToo,
  loadConfig,
  positiveInt,
  positiveMs,
} from '@tollgate/config';
import { describeSecretKeyProblem } from './crypto/channel-secret-key.js';

/** Checks the key's shape at start-up without ever echoing the value into the error. */
const secretKey = makeValidator<string>((input) => {
  const problem = describeSecretKeyProblem(input);
  if (problem) throw new Error(problem);
  return input.trim();
});

const durationMs = (defaultMs: number, desc: string) => positiveMs({ default: defaultMs, desc });

export const routerSettings = {
  ...commonSettings,
  ...opsSettings('router'),
  ...databaseSettings,
  CHANNEL_SECRET_KEY: fromFileToo(
    secretKey({
      default: '',
      desc:
        'AES-256-GCM key for the upstream API keys at rest: 32 bytes as base64 or 64 hex characters ' +
        '(or CHANNEL_SECRET_KEY_FILE: a file holding it); empty = generate one on first start into ' +
        '<DATA_DIR>/channel-secret-key (set it explicitly when replicas do not share DATA_DIR)',
    }),
  ),
  CHANNEL_CONNECT_TIMEOUT_MS: durationMs(5000, 'Default time to open a connection to an upstream'),
  CHANNEL_FIRST_BYTE_TIMEOUT_MS: durationMs(120000, 'Default time from sending a request to its first response byte'),
  CHANNEL_IDLE_TIMEOUT_MS: durationMs(60000, 'Default longest silence inside a response body (streams included)'),
  COOLDOWN_MAX_MS: durationMs(60000, 'Cap of the exponential back-off after provider 429s without Retry-After'),
  BREAKER_FAILURE_THRESHOLD: positiveInt({
    default: 5,
    desc: "Consecutive 5xx / timeouts / connection failures that open a channel's circuit",
  }),
  BREAKER_OPEN_MS: durationMs(30000, 'How long an open circuit rests before one probe request is let through'),
  AUTO_ENABLE: bool({
    default: true,
    desc: 'Re-test auto-disabled channels on a schedule and re-enable those that pass',
  }),
  AUTO_ENABLE_INTERVAL_MS: durationMs(60000, 'How often auto-disabled channels are re-tested'),
  CHANNEL_RELOAD_INTERVAL_MS: durationMs(
    30000,
    'Safety-net reload of the channel table (changes are broadcast at once)',
  ),
  CHANNEL_TEST_TIMEOUT_MS: durationMs(15000, 'Upper bound of one channel test or auto-enable probe'),
};

export type RouterConfig = ReturnType<typeof loadRouterConfig>;
export const loadRouterConfig = (env?: NodeJS.ProcessEnv) => loadConfig('router', routerSettings, env);
export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
