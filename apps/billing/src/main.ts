import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createNatsServer, RpcFailureFilter } from '@tollgate/nats';
import { NestPinoLogger } from '@tollgate/observability';
import type { Logger } from '@tollgate/observability';
import { loadBillingConfig } from './billing.config.js';
import { BillingModule } from './billing.module.js';
import { LOGGER } from './tokens.js';

async function main(): Promise<void> {
  const config = loadBillingConfig();
  const app = await NestFactory.createMicroservice(BillingModule, {
    strategy: createNatsServer('billing', config.NATS_URL),
    bufferLogs: true,
  });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  app.useGlobalFilters(new RpcFailureFilter(logger));
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ queue: 'billing' }, 'billing service listening on NATS');
}

main().catch((error: unknown) => {
  process.stderr.write(`billing: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
