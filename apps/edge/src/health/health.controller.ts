import { Controller, Inject, Res } from '@nestjs/common';
import { Serve } from '../http/route.decorator.js';
import type { FastifyReply } from 'fastify';
import { AuthSubjects, BillingSubjects, OPS_ROUTES, RouterSubjects } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { NATS_BUS } from '../tokens.js';

const PING_TIMEOUT_MS = 1000;

interface ServiceHealth {
  ok: boolean;
  latencyMs: number | null;
  error?: string;
}

/** Reachability of each service over NATS; 503 when any of them does not answer. */
@Controller()
export class HealthController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Serve(OPS_ROUTES.health)
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [auth, router, billing] = await Promise.all([
      this.ping(() => this.bus.request(AuthSubjects.ping, {}, PING_TIMEOUT_MS)),
      this.ping(() => this.bus.request(RouterSubjects.ping, {}, PING_TIMEOUT_MS)),
      this.ping(() => this.bus.request(BillingSubjects.ping, {}, PING_TIMEOUT_MS)),
    ]);
    const nats = !this.bus.connection.isClosed();
    const ok = nats && auth.ok && router.ok && billing.ok;
    void reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      services: { edge: { ok: true, latencyMs: 0 }, auth, router, billing },
      nats: { ok: nats },
    });
  }

  private async ping(call: () => Promise<unknown>): Promise<ServiceHealth> {
    const started = performance.now();
    try {
      await call();
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (error) {
      return { ok: false, latencyMs: null, error: error instanceof Error ? error.name : 'error' };
    }
  }
}
