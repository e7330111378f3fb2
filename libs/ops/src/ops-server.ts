import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

export interface OpsServerOptions {
  host: string;
  /** 0 = any free port (see `url`). */
  port: number;
  registry: Registry;
  readiness: Readiness;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

export const OPS_PATHS = { metrics: '/metrics', live: '/livez', ready: '/readyz' } as const;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The ops port of one service process: Prometheus metrics, liveness and
 * readiness, apart from the traffic port so that probes and scrapes never
 * queue behind client requests, and so the public port never shows metrics.
 * Plain node:http: three fixed routes need no framework, and a second Fastify
 * would cost the edge memory for nothing.
 */
export class OpsServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(options: OpsServerOptions): Promise<OpsServer> {
    const expected = options.metricsToken ? digest(`Bearer ${options.metricsToken}`) : null;
    const server = createServer((request, response) => {
      void answer(options, expected, request, response);
    });
    // Probes and scrapers reuse connections; an idle one must not hold the process open at stop.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new OpsServer(server, `http://${host}:${address.port}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function answer(
  options: OpsServerOptions,
  expectedAuthorization: Buffer | null,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const known = path === OPS_PATHS.metrics || path === OPS_PATHS.live || path === OPS_PATHS.ready;
  if (!known) return send(response, 404, { error: `no such path; try ${Object.values(OPS_PATHS).join(', ')}` });
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, 405, { error: `${request.method ?? ''} is not allowed; use GET` });
  }
  try {
    if (path === OPS_PATHS.live) return send(response, 200, { status: 'live' });
    if (path === OPS_PATHS.ready) {
      const report = await options.readiness.report();
      return send(response, report.ready ? 200 : 503, report);
    }
    if (expectedAuthorization && !authorized(request.headers.authorization, expectedAuthorization)) {
      response.setHeader('www-authenticate', 'Bearer');
      return send(response, 401, { error: 'metrics need Authorization: Bearer <OPS_METRICS_TOKEN>' });
    }
    const text = await options.registry.metrics();
    response.writeHead(200, { 'content-type': options.registry.contentType });
    response.end(request.method === 'HEAD' ? undefined : text);
  } catch (error) {
    send(response, 500, { error: error instanceof Error ? error.message : 'failed' });
  }
}

/** Constant-time: compares digests, so neither the token's bytes nor its length leak through timing. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  return header !== undefined && timingSafeEqual(digest(header), expected);
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
