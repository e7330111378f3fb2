import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec } from '../endpoint.js';
import { imagesEndpoint } from './images.endpoint.js';

@Controller('v1')
export class ImagesController {
  private readonly endpoint: EndpointSpec;

  constructor(
    private readonly relay: RelayService,
    capabilities: ModelCapabilities,
  ) {
    this.endpoint = imagesEndpoint(capabilities);
  }

  @Post('images/generations')
  generations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(this.endpoint, request, reply);
  }
}
