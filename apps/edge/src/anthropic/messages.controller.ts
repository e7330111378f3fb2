import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { V1_ROUTES } from '@tollgate/contracts';
import { Serve } from '../http/route.decorator.js';
import { RelayService } from '../relay/relay.service.js';
import { MessageTokenCounter } from './message-token-counter.js';
import { messagesEndpoint } from './messages.endpoint.js';

/** Anthropic's Messages API, for its SDKs and Claude Code (`ANTHROPIC_BASE_URL` pointed at the edge). */
@Controller()
export class MessagesController {
  constructor(
    private readonly relay: RelayService,
    private readonly counter: MessageTokenCounter,
  ) {}

  /** JSON, or Anthropic's event stream with `stream: true`. */
  @Serve(V1_ROUTES.messages)
  messages(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(messagesEndpoint, request, reply);
  }

  @Serve(V1_ROUTES.countMessageTokens)
  countTokens(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.counter.count(request, reply);
  }
}
