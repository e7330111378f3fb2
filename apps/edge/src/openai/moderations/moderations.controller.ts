import { Controller, Req, Res } from '@nestjs/common';
import { V1_ROUTES } from '@tollgate/contracts';
import { Serve } from '../../http/route.decorator.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { moderationsEndpoint } from './moderations.endpoint.js';

@Controller()
export class ModerationsController {
  constructor(private readonly relay: RelayService) {}

  @Serve(V1_ROUTES.moderations)
  moderations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(moderationsEndpoint, request, reply);
  }
}
