import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { completionsEndpoint } from './completions.endpoint.js';

@Controller('v1')
export class CompletionsController {
  constructor(private readonly relay: RelayService) {}

  /** JSON, or server-sent events with `stream: true`. */
  @Post('completions')
  completions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(completionsEndpoint, request, reply);
  }
}
