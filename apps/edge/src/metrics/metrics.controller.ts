import { Controller, Res } from '@nestjs/common';
import { OPS_ROUTES } from '@tollgate/contracts';
import type { FastifyReply } from 'fastify';
import { Serve } from '../http/route.decorator.js';
import { EdgeMetrics } from './edge-metrics.js';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: EdgeMetrics) {}

  @Serve(OPS_ROUTES.metrics)
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    void reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
