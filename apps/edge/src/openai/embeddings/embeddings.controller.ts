import { Controller, Req, Res } from '@nestjs/common';
import { V1_ROUTES } from '@tollgate/contracts';
import { Serve } from '../../http/route.decorator.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { embeddingsEndpoint } from './embeddings.endpoint.js';

@Controller()
export class EmbeddingsController {
  constructor(private readonly relay: RelayService) {}

  @Serve(V1_ROUTES.embeddings)
  embeddings(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(embeddingsEndpoint, request, reply);
  }
}
