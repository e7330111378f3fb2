import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import { DOCUMENTED_ERRORS } from '@tollgate/errors';
import { newTid, TraceContext, tidFromTraceparent, type Logger } from '@tollgate/observability';
import { denialForClientError, denialForError, sendDenial, writeDenialToSocket } from '../errors/error-response.js';

/** How long a refused connection stays open for the client to read the answer and close first. */
const CLIENT_ERROR_LINGER_MS = 2_000;

/**
 * The Fastify options that answer what is refused before any hook of
 * install-http-hooks.ts runs, in the documented shape with a tid, like every
 * other answer of the edge:
 * - `frameworkErrors`: the router's refusals (a URL that is not valid
 *   percent-encoding, a path parameter over `maxParamLength`). It replaces
 *   the Nest adapter's own, which only runs Nest's security hook (the edge
 *   enables no Nest security feature) and answers in Fastify's shape;
 * - `clientErrorHandler`: Node's HTTP parser's refusals (headers over
 *   `maxHeaderSize`, a NUL in a header, a malformed request line, a request
 *   not received in time), where there is only a socket to write to.
 * Fastify takes both at construction, before Nest has made the logger, so
 * they ask for it when an error comes, which is only after `listen()`.
 */
export function frameworkErrorHandlers(
  logger: () => Logger,
): Required<Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'>> {
  return {
    frameworkErrors(error, request, reply) {
      const tid = tidFromTraceparent(request.headers.traceparent);
      request.tid = tid;
      TraceContext.run(tid, () => {
        const denial = denialForError(error, request, logger());
        // No onResponse hook runs for these requests, so this is their only log line.
        logger().info(
          { tid, method: request.method, status: DOCUMENTED_ERRORS[denial.reason].status, code: error.code },
          'request refused by the router',
        );
        sendDenial(reply, denial, tid);
      });
    },

    clientErrorHandler(error, socket: Socket) {
      // Already answered: Node reports every later chunk the failed parser is
      // fed. Leave the socket to linger until the client closes it.
      if (socket.writableEnded) return;
      // Reset by the peer, or a response of this connection already started:
      // writing now would corrupt it (Node's own handler checks the same).
      const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
      if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
        socket.destroy();
        return;
      }
      const tid = newTid();
      const denial = denialForClientError(error);
      // Neither the raw packet nor any header value is logged: they may hold a key.
      logger().warn(
        { tid, status: DOCUMENTED_ERRORS[denial.reason].status, code: error.code },
        'request refused by the HTTP parser',
      );
      // The request line may still be readable in what Node parsed so far.
      const rawPacket: unknown = (error as { rawPacket?: unknown }).rawPacket;
      const head = Buffer.isBuffer(rawPacket) && rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
      writeDenialToSocket(socket, denial, tid, { headOnly: head });
      // Destroying at once would discard what the client sent and we have not
      // read, and the kernel would answer it with a reset that can overtake
      // the answer; the failed parser goes on reading (and dropping) it instead.
      const linger = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS);
      socket.once('close', () => clearTimeout(linger));
    },
  };
}
