import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec } from '../endpoint.js';
import { speechEndpoint } from './speech.endpoint.js';

@Controller('v1')
export class SpeechController {
  private readonly endpoint: EndpointSpec;

  constructor(
    private readonly relay: RelayService,
    capabilities: ModelCapabilities,
  ) {
    this.endpoint = speechEndpoint(capabilities);
  }

  /** Binary audio (or whatever the upstream answers) passed through as it arrives. */
  @Post('audio/speech')
  speech(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(this.endpoint, request, reply);
  }
}
