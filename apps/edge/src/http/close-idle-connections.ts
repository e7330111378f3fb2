import type { FastifyInstance } from 'fastify';

/** How often a closing edge looks for connections that have gone idle. */
const IDLE_CHECK_MS = 100;

/**
 * Node's server.close() closes the connections idle at that moment and then
 * waits for the rest: a keep-alive connection whose response ends later (a
 * stream finishing, a request in flight) stayed open for keepAliveTimeout
 * (65 s) and held the edge's stop as long. While the server closes, the
 * connections that have gone idle since are closed too; a request that
 * arrives on one first is answered 503 with `connection: close`
 * (return503OnClosing).
 */
export function closeIdleConnectionsWhileClosing(fastify: FastifyInstance): void {
  fastify.addHook('preClose', (done) => {
    const server = fastify.server;
    const timer = setInterval(() => server.closeIdleConnections(), IDLE_CHECK_MS);
    server.once('close', () => clearInterval(timer));
    done();
  });
}
