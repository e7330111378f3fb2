import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createNatsServer, RpcFailureFilter } from '@tollgate/nats';
import { NestPinoLogger, type Logger } from '@tollgate/observability';
import { loadRouterConfig } from './router.config.js';
import { RouterModule } from './router.module.js';
import { LOGGER } from './tokens.js';

async function main(): Promise<void> {
  const config = loadRouterConfig();
  const app = await NestFactory.createMicroservice(RouterModule, {
    strategy: createNatsServer('router', config.NATS_URL),
    bufferLogs: true,
  });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  app.useGlobalFilters(new RpcFailureFilter(logger));
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ queue: 'router' }, 'router service listening on NATS');
}

main().catch((error: unknown) => {
  process.stderr.write(`router: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
