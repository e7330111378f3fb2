import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { V1_ROUTES } from '@tollgate/contracts';
import { StoredResponseCalls } from '../../dialects/stored-response-calls.js';
import { checkInput, Serve } from '../../http/route.decorator.js';
import { RelayService } from '../../relay/relay.service.js';
import { responsesEndpoint } from './responses.endpoint.js';

/** OpenAI's Responses API (Codex, the Agents SDK, the Vercel AI SDK). */
@Controller()
export class ResponsesController {
  constructor(
    private readonly relay: RelayService,
    private readonly stored: StoredResponseCalls,
  ) {}

  /** JSON, or the Responses event stream with `stream: true`. */
  @Serve(V1_ROUTES.createResponse)
  create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(responsesEndpoint, request, reply);
  }

  @Serve(V1_ROUTES.getResponse)
  get(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.stored.relay(
      request,
      reply,
      () => checkInput(V1_ROUTES.getResponse, request).params.response_id,
      'GET',
    );
  }

  @Serve(V1_ROUTES.deleteResponse)
  delete(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.stored.relay(
      request,
      reply,
      () => checkInput(V1_ROUTES.deleteResponse, request).params.response_id,
      'DELETE',
    );
  }
}
