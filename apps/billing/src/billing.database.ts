import type { ServiceDatabaseOptions } from '@tollgate/db';
import type { Logger } from '@tollgate/observability';
import type { BillingConfig } from './billing.config.js';
import { BILLING_MIGRATIONS, BILLING_REPEATABLE_MIGRATIONS, BILLING_SCHEMA } from './migrations/billing-migrations.js';

/** The billing schema: raw SQL only (no entities), for the service and for `npm run migrate`. */
export const billingDatabase = (config: BillingConfig, logger: Logger): ServiceDatabaseOptions => ({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  embeddedPort: config.EMBEDDED_PG_PORT,
  schema: BILLING_SCHEMA,
  entities: [],
  migrations: BILLING_MIGRATIONS,
  repeatableMigrations: BILLING_REPEATABLE_MIGRATIONS,
  poolSize: config.DATABASE_POOL_SIZE,
  logger,
});
