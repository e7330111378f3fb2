import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EdgeMetrics } from './edge-metrics.js';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: EdgeMetrics) {}

  @Get('metrics')
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    void reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
