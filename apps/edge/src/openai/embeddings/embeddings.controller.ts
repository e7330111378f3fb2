import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { embeddingsEndpoint } from './embeddings.endpoint.js';

@Controller('v1')
export class EmbeddingsController {
  constructor(private readonly relay: RelayService) {}

  @Post('embeddings')
  embeddings(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(embeddingsEndpoint, request, reply);
  }
}
