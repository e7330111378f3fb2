import { commonSettings, opsSettings, databaseSettings, loadConfig, nonNegativeMs, str } from '@tollgate/config';

export const authSettings = {
  ...commonSettings,
  ...opsSettings('auth'),
  ...databaseSettings,
  TOLLGATE_ROOT_KEY: str({
    default: '',
    desc: 'The root key to create on first start (sk- + 48 base62 characters); empty = generate one',
  }),
  KEY_CACHE_TTL_MS: nonNegativeMs({
    default: 30000,
    desc: 'How long auth keeps a key lookup in memory; revocations are broadcast and apply at once',
  }),
};

export type AuthConfig = ReturnType<typeof loadAuthConfig>;
export const loadAuthConfig = () => loadConfig('auth', authSettings);
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
