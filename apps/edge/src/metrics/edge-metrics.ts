import type { FastifyInstance } from 'fastify';
import { serviceRegistry } from '@tollgate/ops';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Latency buckets of whole requests and upstream calls, in seconds: a cached answer to a long generation. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Time to first token: a fast stream starts in tens of milliseconds, a reasoning model's in tens of seconds. */
const FIRST_TOKEN_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * The edge's metric families, in the process's registry.
 *
 * Labels stay bounded: `model` is only ever a model the routing table routes
 * (it is labelled after admission picked a channel for it), `channel` a
 * channel id from the configuration, `dialect` one of the client dialects,
 * `reason` a DenialReason, `route` the route pattern (never the raw URL).
 * No user or key id is a label.
 */
function declare(registry: Registry) {
  const registers = [registry];
  return {
    httpRequests: new Counter({
      name: 'tollgate_http_requests_total',
      help: 'HTTP requests answered by the edge, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'tollgate_http_request_duration_seconds',
      help: 'Time from request to response end, by route pattern and method',
      labelNames: ['route', 'method'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    requests: new Counter({
      name: 'tollgate_requests_total',
      help: 'Admitted model requests, by model, channel (the last one tried), client dialect and status',
      labelNames: ['model', 'channel', 'dialect', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'tollgate_request_duration_seconds',
      help: 'Total time of an admitted model request, from its arrival to its last byte, by dialect and whether it streamed',
      labelNames: ['dialect', 'stream'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'tollgate_upstream_duration_seconds',
      help: "One upstream call, from sending to the answer's headers (or its failure), by channel and outcome",
      labelNames: ['channel', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    firstToken: new Histogram({
      name: 'tollgate_time_to_first_token_seconds',
      help: "A streamed answer's first bytes after the upstream call started, by channel",
      labelNames: ['channel'] as const,
      buckets: FIRST_TOKEN_BUCKETS,
      registers,
    }),
    retries: new Counter({
      name: 'tollgate_retries_total',
      help: 'Upstream calls retried on another channel after a retryable failure, by model',
      labelNames: ['model'] as const,
      registers,
    }),
    denials: new Counter({
      name: 'tollgate_denials_total',
      help: 'Requests answered with a documented error, by its reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    principalCache: new Counter({
      name: 'tollgate_auth_cache_lookups_total',
      help: "The edge's cache of authenticated keys: hits, and misses that asked auth",
      labelNames: ['result'] as const,
      registers,
    }),
    admissions: new Counter({
      name: 'tollgate_admissions_total',
      help: 'Requests admitted from a credit grant held by this edge, or by a reserve at billing',
      labelNames: ['path'] as const,
      registers,
    }),
  };
}

type Families = ReturnType<typeof declare>;

/** An upstream call's outcome label: the status class, or `network` for no answer at all. */
const outcomeOf = (status: number): string => (status === 0 ? 'network' : `${Math.floor(status / 100)}xx`);

/**
 * What the edge counts, where the facts are known: the relay (requests,
 * retries, upstream calls, first tokens), the HTTP layer (every response, and
 * its documented error), the principal cache and admission. Served on the ops
 * port (OpsEndpoint), with Node's process metrics. One per process
 * (`edgeMetrics`): prom-client's registry takes each name once, and the
 * process's metrics are one set however many objects count into them.
 */
class EdgeMetrics {
  private readonly m: Families = declare(serviceRegistry('edge'));
  private readonly cacheHit = this.m.principalCache.labels('hit');
  private readonly cacheMiss = this.m.principalCache.labels('miss');
  private readonly fromGrant = this.m.admissions.labels('grant');
  private readonly fromReserve = this.m.admissions.labels('reserve');

  /** Every response (onResponse fires once its last byte is written): route, status, and the denial if one. */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.m.httpRequests.labels(route, request.method, String(reply.statusCode)).inc();
      this.m.httpDuration.labels(route, request.method).observe(reply.elapsedTime / 1000);
      if (request.denialReason) this.m.denials.labels(request.denialReason).inc();
      done();
    });
  }

  /** An admitted request, however it ended. */
  requestEnded(model: string, channelId: number | null, dialect: string, status: number, stream: boolean, ms: number) {
    this.m.requests.labels(model, channelId === null ? 'none' : String(channelId), dialect, String(status)).inc();
    this.m.requestDuration.labels(dialect, stream ? 'true' : 'false').observe(ms / 1000);
  }

  upstreamCall(channelId: number, status: number, ms: number): void {
    this.m.upstreamDuration.labels(String(channelId), outcomeOf(status)).observe(ms / 1000);
  }

  firstToken(channelId: number, ms: number): void {
    this.m.firstToken.labels(String(channelId)).observe(ms / 1000);
  }

  retried(model: string): void {
    this.m.retries.labels(model).inc();
  }

  principalLookup(hit: boolean): void {
    (hit ? this.cacheHit : this.cacheMiss).inc();
  }

  admitted(fromGrant: boolean): void {
    (fromGrant ? this.fromGrant : this.fromReserve).inc();
  }
}

export const edgeMetrics = new EdgeMetrics();
