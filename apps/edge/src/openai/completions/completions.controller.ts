import { Controller, Req, Res } from '@nestjs/common';
import { V1_ROUTES } from '@tollgate/contracts';
import { Serve } from '../../http/route.decorator.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { completionsEndpoint } from './completions.endpoint.js';

@Controller()
export class CompletionsController {
  constructor(private readonly relay: RelayService) {}

  /** JSON, or server-sent events with `stream: true`. */
  @Serve(V1_ROUTES.completions)
  completions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(completionsEndpoint, request, reply);
  }
}
