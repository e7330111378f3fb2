import { Inject, Injectable, Optional, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { ServiceName } from '@tollgate/contracts';
import type { ServiceDatabase } from '@tollgate/db';
import { NatsBus } from '@tollgate/nats';
import { createLogger, stopTracing, type Logger } from '@tollgate/observability';
import { OpsEndpoint } from './ops-endpoint.js';
import { LOGGER, NATS_BUS, SERVICE_DATABASE } from './service-tokens.js';

/** The settings service infrastructure reads (see @tollgate/config's commonSettings). */
export interface ServiceSettings {
  NATS_URL: string;
  NATS_REQUEST_TIMEOUT_MS: number;
  LOG_LEVEL: string;
}

export interface ServiceProvidersOptions {
  service: ServiceName;
  /** The token under which the app provides its validated config. */
  configToken: symbol;
}

/** Closes what the providers opened, after every other provider's onModuleDestroy has stopped using them. */
@Injectable()
class ServiceShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    /** Provided by databaseProviders (@tollgate/service/database) in the services that own a schema. */
    @Optional() @Inject(SERVICE_DATABASE) private readonly database: ServiceDatabase | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.database?.close();
    // Last: the spans of the final messages and queries are ended by now.
    await stopTracing();
  }
}

/**
 * What every service needs and builds the same way: its logger and its NATS
 * client. The services that own a schema add databaseProviders from
 * @tollgate/service/database.
 */
export function serviceProviders<C extends ServiceSettings>(options: ServiceProvidersOptions): Provider[] {
  const { service, configToken } = options;
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
    ServiceShutdown,
    OpsEndpoint,
  ];
}
