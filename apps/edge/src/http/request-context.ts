import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The trace id of this request (see docs/architecture.md, the request path, step 1). */
    tid: string;
    /** The request body exactly as received, so it can be forwarded without re-serialising. */
    rawBody?: Buffer;
    /** The documented error this request was answered with (sendDenial), for its access line. */
    denialReason?: string;
  }
}

export type { FastifyReply, FastifyRequest };

/** The response header that carries the tid on every response. */
export const TID_RESPONSE_HEADER = 'x-tid';
