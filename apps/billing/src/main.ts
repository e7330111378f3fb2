import { runNatsService } from '@tollgate/service/nats-service';
import { loadBillingConfig } from './billing.config.js';
import { billingDatabase } from './billing.database.js';
import { BillingModule } from './billing.module.js';

const config = loadBillingConfig();
runNatsService({
  service: 'billing',
  module: BillingModule,
  config,
  database: (logger) => billingDatabase(config, logger),
});
