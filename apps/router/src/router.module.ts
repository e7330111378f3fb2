import { Module } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { serviceProviders } from '@tollgate/service';
import { databaseProviders } from '@tollgate/service/database';
import { ChannelRegistry } from './channels/channel-registry.js';
import { timeoutDefaults } from './channels/channel-timeouts.js';
import { ChannelsService } from './channels/channels.service.js';
import { resolveChannelSecretKey } from './crypto/channel-secret-key.js';
import { SecretBox } from './crypto/secret-box.js';
import { AutoEnableScheduler } from './health/auto-enable.scheduler.js';
import { HealthService } from './health/health.service.js';
import { healthTrackerProvider } from './health/health-tracker.provider.js';
import { loadRouterConfig, ROUTER_CONFIG, type RouterConfig } from './router.config.js';
import { RouterController } from './router.controller.js';
import { routerDatabase } from './router.database.js';
import { SelectionService } from './selection/selection.service.js';
import { CHANNEL_TIMEOUT_DEFAULTS, CLOCK, LOGGER, RANDOM, SECRET_BOX, UPSTREAM_HTTP } from './tokens.js';
import { ChannelTester } from './upstream/channel-tester.js';
import { RouterUpstreamHttp } from './upstream/router-upstream-http.js';
import { systemClock, mathRandom } from '@tollgate/routing';

@Module({
  controllers: [RouterController],
  providers: [
    { provide: ROUTER_CONFIG, useFactory: () => loadRouterConfig() },
    ...serviceProviders<RouterConfig>({ service: 'router', configToken: ROUTER_CONFIG }),
    ...databaseProviders<RouterConfig>({ configToken: ROUTER_CONFIG, database: routerDatabase }),
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
    healthTrackerProvider,
    ChannelRegistry,
    ChannelsService,
    HealthService,
    SelectionService,
    { provide: UPSTREAM_HTTP, useClass: RouterUpstreamHttp },
    ChannelTester,
    AutoEnableScheduler,
  ],
})
export class RouterModule {}
