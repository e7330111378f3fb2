import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of the edge: request counts and latency by route and
 * status (the route pattern, never the raw URL, so cardinality stays fixed),
 * plus Node's process metrics.
 */
export class EdgeMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'tollgate_http_requests_total',
    help: 'HTTP requests answered by the edge',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'tollgate_http_request_duration_seconds',
    help: 'Time from request to response end, including the upstream',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tollgate_edge_' });
  }

  install(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
      this.duration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
      done();
    });
  }
}
