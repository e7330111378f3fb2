import { Controller, Req, Res } from '@nestjs/common';
import { V1_ROUTES } from '@tollgate/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Serve } from '../../http/route.decorator.js';
import { RelayService } from '../../relay/relay.service.js';
import { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec } from '../endpoint.js';
import { transcriptionsEndpoint } from './transcriptions.endpoint.js';

/** Speech to text: forms with an audio `file`, relayed as they came (JSON, text or a transcript stream back). */
@Controller()
export class TranscriptionsController {
  private readonly transcriptionsSpec: EndpointSpec;
  private readonly translationsSpec: EndpointSpec;

  constructor(
    private readonly relay: RelayService,
    capabilities: ModelCapabilities,
  ) {
    this.transcriptionsSpec = transcriptionsEndpoint(capabilities, 'audio.transcriptions');
    this.translationsSpec = transcriptionsEndpoint(capabilities, 'audio.translations');
  }

  @Serve(V1_ROUTES.transcriptions)
  transcriptions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(this.transcriptionsSpec, request, reply);
  }

  @Serve(V1_ROUTES.translations)
  translations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(this.translationsSpec, request, reply);
  }
}
