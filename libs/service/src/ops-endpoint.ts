import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceDatabase } from '@tollgate/db';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import { OpsServer, Readiness, serviceRegistry, type ReadinessCheck } from '@tollgate/ops';
import { LOGGER, NATS_BUS, READINESS_CHECKS, SERVICE_DATABASE } from './service-tokens.js';

/** The settings of the ops port (see @tollgate/config's opsSettings). */
export interface OpsSettings {
  OPS_HOST: string;
  OPS_PORT: number;
  OPS_METRICS_TOKEN: string;
}

/** A dependency that takes longer than this to answer counts as down. */
const CHECK_TIMEOUT_MS = 1000;
/** One readiness report answers every probe for this long. */
const READINESS_CACHE_MS = 1000;

/**
 * The service's ops port (OpsServer): opened by the service's main() once
 * the app is listening — never by a module built in a spec — and told first
 * when the app stops, so that /readyz answers 503 `stopping` while the
 * service finishes what it holds, and closed last.
 * Ready means: NATS answers a ping round trip, PostgreSQL answers `SELECT 1`
 * (the services that own a schema), and whatever the app adds under
 * READINESS_CHECKS (the edge: a replica of each service answers).
 */
@Injectable()
export class OpsEndpoint implements BeforeApplicationShutdown, OnApplicationShutdown {
  private server?: OpsServer;
  private readonly readiness: Readiness;

  constructor(
    @Inject(NATS_BUS) bus: NatsBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(SERVICE_DATABASE) database: ServiceDatabase | null,
    @Optional() @Inject(READINESS_CHECKS) appChecks: ReadinessCheck[] | null,
  ) {
    const checks: ReadinessCheck[] = [{ name: 'nats', check: () => bus.connection.rtt() }];
    if (database) checks.push({ name: 'postgres', check: () => database.dataSource.query('SELECT 1') });
    checks.push(...(appChecks ?? []));
    this.readiness = new Readiness(checks, { checkTimeoutMs: CHECK_TIMEOUT_MS, cacheMs: READINESS_CACHE_MS });
  }

  /** Opens the ops port; a port in use stops start-up with the variable named. */
  async open(service: string, settings: OpsSettings): Promise<string> {
    try {
      this.server = await OpsServer.listen({
        host: settings.OPS_HOST,
        port: settings.OPS_PORT,
        registry: serviceRegistry(service),
        readiness: this.readiness,
        metricsToken: settings.OPS_METRICS_TOKEN || undefined,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        `cannot open the ops port ${settings.OPS_HOST}:${settings.OPS_PORT} (OPS_HOST, OPS_PORT): ${code ?? String(error)}` +
          (code === 'EADDRINUSE' ? '; another process holds it: set OPS_PORT (0 = any free port)' : ''),
        { cause: error },
      );
    }
    this.logger.info({ url: this.server.url }, 'ops listening');
    return this.server.url;
  }

  beforeApplicationShutdown(): void {
    this.readiness.stopping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
