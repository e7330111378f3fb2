import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LIMITS } from '@tollgate/contracts';
import { NestPinoLogger, startTracing, type Logger } from '@tollgate/observability';
import { OpsEndpoint } from '@tollgate/service';
import { loadEdgeConfig } from './edge.config.js';
import { EdgeModule } from './edge.module.js';
import { ErrorResponseFilter } from './errors/error-response.filter.js';
import { installConsole } from './console/console-routes.js';
import { closeIdleConnectionsWhileClosing } from './http/close-idle-connections.js';
import { frameworkErrorHandlers } from './http/framework-error-handlers.js';
import { installHttpHooks } from './http/install-http-hooks.js';
import { edgeMetrics } from './metrics/edge-metrics.js';
import { LOGGER } from './tokens.js';

async function main(): Promise<void> {
  const config = loadEdgeConfig();
  const traced = await startTracing('edge');
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A path parameter may be a model name of LIMITS.nameLength characters, each percent-encoded as up
    // to 3 × 4 bytes of UTF-8; Fastify's default of 100 answered 414 for names a price may carry.
    maxParamLength: LIMITS.nameLength * 12,
    // Keep-alive longer than typical load balancers' idle timeout, so they close first.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    ...frameworkErrorHandlers((): Logger => app.get<Logger>(LOGGER)),
  });
  const app: NestFastifyApplication = await NestFactory.create<NestFastifyApplication>(EdgeModule, adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get<Logger>(LOGGER);
  installHttpHooks(adapter.getInstance(), logger, config.UPLOAD_LIMIT_BYTES);
  closeIdleConnectionsWhileClosing(adapter.getInstance());
  app.useLogger(new NestPinoLogger(logger));
  app.useGlobalFilters(new ErrorResponseFilter(logger));
  edgeMetrics.install(adapter.getInstance());
  // After the hooks above: the console's routes get the tid, the access log and the metrics like every other.
  installConsole(adapter.getInstance(), logger, config.CONSOLE_DIR);
  app.enableShutdownHooks();
  await app.listen(config.EDGE_PORT, config.EDGE_HOST);
  const address = adapter.getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : config.EDGE_PORT;
  logger.info({ url: `http://${config.EDGE_HOST}:${port}`, tracing: traced }, 'edge listening');
  await app.get(OpsEndpoint).open('edge', config);
}

main().catch((error: unknown) => {
  process.stderr.write(`edge: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
