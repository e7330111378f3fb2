import {
  commonSettings,
  databaseSettings,
  fromFileToo,
  loadConfig,
  nonNegativeMs,
  positiveMs,
  opsSettings,
  str,
} from '@tollgate/config';

export const authSettings = {
  ...commonSettings,
  ...opsSettings('auth'),
  ...databaseSettings,
  TOLLGATE_ROOT_KEY: fromFileToo(
    str({
      default: '',
      desc: 'The root key to create on first start (sk- + 48 base62 characters; or TOLLGATE_ROOT_KEY_FILE: a file holding it); empty = generate one into DATA_DIR/root-key',
    }),
  ),
  KEY_CACHE_TTL_MS: nonNegativeMs({
    default: 30000,
    desc: 'How long auth keeps a key lookup in memory; revocations are broadcast and apply at once',
  }),
  CONSOLE_SESSION_TTL_MS: positiveMs({
    default: 8 * 3600_000,
    desc: "How long a console sign-in lasts (the session cookie's expiry); never past its key's own expiry",
  }),
};

export type AuthConfig = ReturnType<typeof loadAuthConfig>;
export const loadAuthConfig = () => loadConfig('auth', authSettings);
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
