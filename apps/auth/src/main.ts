import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createNatsServer, RpcFailureFilter } from '@tollgate/nats';
import { openServiceDatabase } from '@tollgate/db';
import { createLogger, NestPinoLogger } from '@tollgate/observability';
import { authDatabase } from './auth.database.js';
import { loadAuthConfig } from './auth.config.js';
import { AuthModule } from './auth.module.js';
import { LOGGER } from './tokens.js';
import type { Logger } from '@tollgate/observability';

async function main(): Promise<void> {
  const config = loadAuthConfig();
  if (process.argv.includes('--migrate')) {
    // `npm run migrate`: bring the schema up to date, then exit.
    const database = await openServiceDatabase(authDatabase(config, createLogger('auth', config.LOG_LEVEL)));
    await database.close();
    return;
  }
  const app = await NestFactory.createMicroservice(AuthModule, {
    strategy: createNatsServer('auth', config.NATS_URL),
    bufferLogs: true,
  });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  app.useGlobalFilters(new RpcFailureFilter(logger));
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ queue: 'auth' }, 'auth service listening on NATS');
}

main().catch((error: unknown) => {
  process.stderr.write(`auth: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
