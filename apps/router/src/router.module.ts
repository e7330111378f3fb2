import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openServiceDatabase, type ServiceDatabase } from '@tollgate/db';
import { NatsBus } from '@tollgate/nats';
import { createLogger, type Logger } from '@tollgate/observability';
import { ChannelEntity } from './channels/channel.entity.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import { timeoutDefaults } from './channels/channel-timeouts.js';
import { ChannelsService } from './channels/channels.service.js';
import { systemClock } from './clock.js';
import { resolveChannelSecretKey } from './crypto/channel-secret-key.js';
import { SecretBox } from './crypto/secret-box.js';
import { AutoEnableScheduler } from './health/auto-enable.scheduler.js';
import { HealthService } from './health/health.service.js';
import { healthTrackerProvider } from './health/health-tracker.provider.js';
import { CreateRouterSchema1764400000000 } from './migrations/1764400000000-create-router-schema.js';
import { loadRouterConfig, ROUTER_CONFIG, type RouterConfig } from './router.config.js';
import { RouterController } from './router.controller.js';
import { mathRandom } from './selection/random-source.js';
import { SelectionService } from './selection/selection.service.js';
import { CHANNEL_TIMEOUT_DEFAULTS, CLOCK, LOGGER, NATS_BUS, RANDOM, SECRET_BOX } from './tokens.js';
import { ChannelTester } from './upstream/channel-tester.js';

const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');

@Module({
  controllers: [RouterController],
  providers: [
    { provide: ROUTER_CONFIG, useFactory: () => loadRouterConfig() },
    {
      provide: LOGGER,
      useFactory: (config: RouterConfig) => createLogger('router', config.LOG_LEVEL),
      inject: [ROUTER_CONFIG],
    },
    { provide: CLOCK, useValue: systemClock },
    { provide: RANDOM, useValue: mathRandom },
    { provide: CHANNEL_TIMEOUT_DEFAULTS, useFactory: timeoutDefaults, inject: [ROUTER_CONFIG] },
    {
      provide: SECRET_BOX,
      inject: [ROUTER_CONFIG, LOGGER],
      useFactory: async (config: RouterConfig, logger: Logger) =>
        new SecretBox(
          await resolveChannelSecretKey({ configured: config.CHANNEL_SECRET_KEY, dataDir: config.DATA_DIR, logger }),
        ),
    },
    {
      provide: SERVICE_DATABASE,
      inject: [ROUTER_CONFIG, LOGGER],
      useFactory: (config: RouterConfig, logger: Logger) =>
        openServiceDatabase({
          url: config.DATABASE_URL,
          dataDir: config.DATA_DIR,
          embeddedPort: config.EMBEDDED_PG_PORT,
          schema: 'router',
          entities: [ChannelEntity],
          migrations: [CreateRouterSchema1764400000000],
          poolSize: config.DATABASE_POOL_SIZE,
          logger,
        }),
    },
    { provide: DataSource, inject: [SERVICE_DATABASE], useFactory: (db: ServiceDatabase) => db.dataSource },
    {
      provide: NATS_BUS,
      inject: [ROUTER_CONFIG, LOGGER],
      useFactory: (config: RouterConfig, logger: Logger) =>
        NatsBus.connect({
          servers: config.NATS_URL,
          name: 'router-bus',
          requestTimeoutMs: config.NATS_REQUEST_TIMEOUT_MS,
          logger,
        }),
    },
    healthTrackerProvider,
    ChannelRegistry,
    ChannelsService,
    HealthService,
    SelectionService,
    ChannelTester,
    AutoEnableScheduler,
  ],
})
export class RouterModule implements OnApplicationShutdown {
  constructor(
    @Inject(SERVICE_DATABASE) private readonly database: ServiceDatabase,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.database.close();
  }
}
