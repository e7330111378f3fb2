import { Controller, Inject, Res } from '@nestjs/common';
import { Serve } from '../http/route.decorator.js';
import type { FastifyReply } from 'fastify';
import { OPS_ROUTES } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import type { ReadinessCheck } from '@tollgate/ops';
import { NATS_BUS } from '../tokens.js';
import { servicePings } from './service-pings.js';

interface ServiceHealth {
  ok: boolean;
  latencyMs: number | null;
  error?: string;
}

/**
 * Reachability of each service over NATS, on the public port; 503 when any of
 * them does not answer. Probes belong on the ops port (/readyz, OpsEndpoint),
 * which asks the same pings.
 */
@Controller()
export class HealthController {
  private readonly pings: ReadinessCheck[];

  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {
    this.pings = servicePings(bus);
  }

  @Serve(OPS_ROUTES.health)
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [auth, router, billing] = await Promise.all(this.pings.map((ping) => this.ping(ping)));
    const nats = !this.bus.connection.isClosed();
    const ok = nats && !!auth?.ok && !!router?.ok && !!billing?.ok;
    void reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      services: { edge: { ok: true, latencyMs: 0 }, auth, router, billing },
      nats: { ok: nats },
    });
  }

  private async ping(ping: ReadinessCheck): Promise<ServiceHealth> {
    const started = performance.now();
    try {
      await ping.check();
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (error) {
      return { ok: false, latencyMs: null, error: error instanceof Error ? error.name : 'error' };
    }
  }
}
