import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayService } from '../../relay/relay.service.js';
import { moderationsEndpoint } from './moderations.endpoint.js';

@Controller('v1')
export class ModerationsController {
  constructor(private readonly relay: RelayService) {}

  @Post('moderations')
  moderations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.relay.relay(moderationsEndpoint, request, reply);
  }
}
