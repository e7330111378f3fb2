import type { ServiceDatabaseOptions } from '@tollgate/db';
import type { Logger } from '@tollgate/observability';
import { ChannelEntity } from './channels/channel.entity.js';
import { CreateRouterSchema1764400000000 } from './migrations/1764400000000-create-router-schema.js';
import { ChannelTypesAndApiVersion1764700000000 } from './migrations/1764700000000-channel-types-and-api-version.js';
import type { RouterConfig } from './router.config.js';

/** The router schema: its entities and migrations, for the service and for `npm run migrate`. */
export const routerDatabase = (config: RouterConfig, logger: Logger): ServiceDatabaseOptions => ({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  embeddedPort: config.EMBEDDED_PG_PORT,
  schema: 'router',
  entities: [ChannelEntity],
  migrations: [CreateRouterSchema1764400000000, ChannelTypesAndApiVersion1764700000000],
  poolSize: config.DATABASE_POOL_SIZE,
  logger,
});
