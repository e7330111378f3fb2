import { runNatsService } from '@tollgate/service/nats-service';
import { loadRouterConfig } from './router.config.js';
import { routerDatabase } from './router.database.js';
import { RouterModule } from './router.module.js';

const config = loadRouterConfig();
runNatsService({
  service: 'router',
  module: RouterModule,
  config,
  database: (logger) => routerDatabase(config, logger),
});
