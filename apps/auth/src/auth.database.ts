import type { ServiceDatabaseOptions } from '@tollgate/db';
import type { Logger } from '@tollgate/observability';
import type { AuthConfig } from './auth.config.js';
import { ApiKeyEntity } from './keys/api-key.entity.js';
import { CreateAuthSchema1764300000000 } from './migrations/1764300000000-create-auth-schema.js';
import { CreateConsoleSessions1765000000000 } from './migrations/1765000000000-create-console-sessions.js';
import { UserEntity } from './users/user.entity.js';

/** The auth schema: its entities and migrations, for the service and for `npm run migrate`. */
export const authDatabase = (config: AuthConfig, logger: Logger): ServiceDatabaseOptions => ({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  embeddedPort: config.EMBEDDED_PG_PORT,
  schema: 'auth',
  entities: [UserEntity, ApiKeyEntity],
  migrations: [CreateAuthSchema1764300000000, CreateConsoleSessions1765000000000],
  poolSize: config.DATABASE_POOL_SIZE,
  logger,
});
