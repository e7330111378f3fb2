import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Upstream response headers that describe the answer and may be passed to the client. */
// Anthropic names its request id `request-id`; OpenAI `x-request-id`.
const PASSED_HEADERS = ['content-type', 'openai-processing-ms', 'x-request-id', 'request-id'] as const;

/** The upstream headers the client may see; the rest (cookies, the provider's own hop headers) stay behind. */
export function passedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of PASSED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Headers for a response written directly to the socket (after hijack):
 * those already set on the reply (the X-Tid hook's), the upstream's passed
 * ones, then ours.
 */
export function clientHeaders(
  reply: FastifyReply,
  upstream: IncomingHttpHeaders,
  own: Record<string, string>,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) out[name] = value;
  }
  return Object.assign(out, passedHeaders(upstream), own);
}
