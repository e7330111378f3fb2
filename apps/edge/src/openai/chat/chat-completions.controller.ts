import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { chatCompletionsEndpoint } from './chat-completions.endpoint.js';

@Controller('v1')
export class ChatCompletionsController {
  constructor(private readonly relay: RelayService) {}

  /** JSON, or server-sent events with `stream: true`. */
  @Post('chat/completions')
  chatCompletions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(chatCompletionsEndpoint, request, reply);
  }
}
