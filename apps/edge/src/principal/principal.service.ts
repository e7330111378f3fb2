import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthSubjects, type Principal } from '@tollgate/contracts';
import { DenialException } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { resolveClientIp, parseTrustedProxies } from '../http/client-ip.js';
import { EDGE_CONFIG, NATS_BUS } from '../tokens.js';
import type { EdgeConfig } from '../edge.config.js';

/** Asks auth who is calling; a refusal leaves the handler as the documented error. */
@Injectable()
export class PrincipalService {
  private readonly trustedProxies;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(EDGE_CONFIG) config: EdgeConfig,
  ) {
    this.trustedProxies = parseTrustedProxies(config.TRUSTED_PROXIES);
  }

  clientIp(request: FastifyRequest): string {
    return resolveClientIp(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      request.headers['x-real-ip'],
      this.trustedProxies,
    );
  }

  async authenticate(request: FastifyRequest, model: string | null): Promise<Principal> {
    const reply = await this.bus.request(AuthSubjects.authenticate, {
      authorization: request.headers.authorization ?? null,
      clientIp: this.clientIp(request),
      model,
    });
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }
}
