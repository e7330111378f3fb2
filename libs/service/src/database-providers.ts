import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openServiceDatabase, type ServiceDatabase, type ServiceDatabaseOptions } from '@tollgate/db';
import type { Logger } from '@tollgate/observability';
import { LOGGER, SERVICE_DATABASE } from './service-tokens.js';

export interface DatabaseProvidersOptions<C> {
  /** The token under which the app provides its validated config. */
  configToken: symbol;
  /** The app's schema. */
  database: (config: C, logger: Logger) => ServiceDatabaseOptions;
}

/**
 * The service's own schema, brought up to date, and its TypeORM DataSource.
 * Used next to serviceProviders, whose shutdown hook closes the database
 * after the NATS client.
 */
export function databaseProviders<C>({ configToken, database }: DatabaseProvidersOptions<C>): Provider[] {
  return [
    {
      provide: SERVICE_DATABASE,
      inject: [configToken, LOGGER],
      useFactory: (config: C, logger: Logger) => openServiceDatabase(database(config, logger)),
    },
    { provide: DataSource, inject: [SERVICE_DATABASE], useFactory: (db: ServiceDatabase) => db.dataSource },
  ];
}
