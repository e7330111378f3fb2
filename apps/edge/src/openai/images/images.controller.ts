import { Controller, Req, Res } from '@nestjs/common';
import { V1_ROUTES } from '@tollgate/contracts';
import { Serve } from '../../http/route.decorator.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec } from '../endpoint.js';
import { imageEditsEndpoint } from './image-edits.endpoint.js';
import { imagesEndpoint } from './images.endpoint.js';

@Controller()
export class ImagesController {
  private readonly endpoint: EndpointSpec;
  private readonly editsEndpoint: EndpointSpec;

  constructor(
    private readonly relay: RelayService,
    capabilities: ModelCapabilities,
  ) {
    this.endpoint = imagesEndpoint(capabilities);
    this.editsEndpoint = imageEditsEndpoint(capabilities);
  }

  @Serve(V1_ROUTES.imageGenerations)
  generations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(this.endpoint, request, reply);
  }

  /** A form (image or image[], mask, prompt…), checked by the same image rules as generations. */
  @Serve(V1_ROUTES.imageEdits)
  edits(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(this.editsEndpoint, request, reply);
  }
}
