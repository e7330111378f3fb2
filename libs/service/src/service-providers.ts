import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ServiceName } from '@tollgate/contracts';
import { openServiceDatabase, type ServiceDatabase, type ServiceDatabaseOptions } from '@tollgate/db';
import { NatsBus } from '@tollgate/nats';
import { createLogger, type Logger } from '@tollgate/observability';
import { LOGGER, NATS_BUS, SERVICE_DATABASE } from './service-tokens.js';

/** The settings service infrastructure reads (see @tollgate/config's commonSettings). */
export interface ServiceSettings {
  NATS_URL: string;
  NATS_REQUEST_TIMEOUT_MS: number;
  LOG_LEVEL: string;
}

export interface ServiceProvidersOptions<C extends ServiceSettings> {
  service: ServiceName;
  /** The token under which the app provides its validated config. */
  configToken: symbol;
  /** The app's schema, for the services that own one. */
  database?: (config: C, logger: Logger) => ServiceDatabaseOptions;
}

/** Closes what the providers opened, after every other provider's onModuleDestroy has stopped using them. */
@Injectable()
class ServiceShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(SERVICE_DATABASE) private readonly database: ServiceDatabase | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.database?.close();
  }
}

/**
 * What every service needs and builds the same way: its logger, its NATS
 * client, and, where it owns a schema, the database brought up to date.
 */
export function serviceProviders<C extends ServiceSettings>(options: ServiceProvidersOptions<C>): Provider[] {
  const { service, configToken, database } = options;
  return [
    { provide: LOGGER, inject: [configToken], useFactory: (config: C) => createLogger(service, config.LOG_LEVEL) },
    {
      provide: NATS_BUS,
      inject: [configToken, LOGGER],
      useFactory: (config: C, logger: Logger) =>
        NatsBus.connect({
          servers: config.NATS_URL,
          name: `${service}-bus`,
          requestTimeoutMs: config.NATS_REQUEST_TIMEOUT_MS,
          logger,
        }),
    },
    {
      provide: SERVICE_DATABASE,
      inject: [configToken, LOGGER],
      useFactory: (config: C, logger: Logger) =>
        database ? openServiceDatabase(database(config, logger)) : Promise.resolve(null),
    },
    ...(database
      ? [{ provide: DataSource, inject: [SERVICE_DATABASE], useFactory: (db: ServiceDatabase) => db.dataSource }]
      : []),
    ServiceShutdown,
  ];
}
