import { HttpException } from '@nestjs/common';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DenialException, DenialReason, renderDenial, type Denial, type RenderedError } from '@tollgate/errors';
import { messagesDialect } from '@tollgate/providers';
import { RemoteFailureError, ServiceUnavailableError } from '@tollgate/nats';
import { newTid, type Logger } from '@tollgate/observability';
import { TID_RESPONSE_HEADER } from '../http/request-context.js';

const invalidRequest = (detail: string): Denial => ({ reason: DenialReason.InvalidRequest, params: { detail } });

/**
 * Fastify's and Node's own errors that are really the client's mistake, by
 * their code: the body parser's (FST_ERR_CTP_*), the router's, answered before
 * any hook runs (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH), and Node's HTTP
 * parser's, which reach no route at all (see denialForClientError).
 */
const FRAMEWORK_CLIENT_ERRORS: Record<string, Denial> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { reason: DenialReason.UnsupportedMediaType },
  FST_ERR_CTP_BODY_TOO_LARGE: { reason: DenialReason.PayloadTooLarge },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: invalidRequest('the body is not as long as its Content-Length says'),
  FST_ERR_CTP_EMPTY_JSON_BODY: { reason: DenialReason.MalformedJson },
  FST_ERR_CTP_INVALID_JSON_BODY: { reason: DenialReason.MalformedJson },
  FST_ERR_BAD_URL: invalidRequest('the URL path is not valid percent-encoding'),
  FST_ERR_MAX_PARAM_LENGTH: {
    reason: DenialReason.UriTooLong,
    params: { detail: 'a path segment (such as a model id) is longer than the router accepts' },
  },
  HPE_HEADER_OVERFLOW: {
    reason: DenialReason.HeaderFieldsTooLarge,
    params: { detail: `the request line and headers may be at most ${maxHeaderSize} bytes` },
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    reason: DenialReason.PayloadTooLarge,
    params: { detail: 'the chunk extensions are too large' },
  },
  ERR_HTTP_REQUEST_TIMEOUT: { reason: DenialReason.RequestTimeout },
};

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Maps anything thrown while serving a request to the denial the client
 * sees. Denials pass as they are; a silent service becomes 503; anything
 * unexpected is logged with its stack and becomes a bare 500 that shows
 * neither the stack nor the internal message.
 */
export function denialForError(exception: unknown, request: FastifyRequest, logger: Logger): Denial {
  if (exception instanceof DenialException) return exception.denial;
  if (exception instanceof ServiceUnavailableError) {
    logger.warn({ subject: exception.subject, err: exception.message }, 'service unavailable');
    return { reason: DenialReason.ServiceUnavailable, params: { retryAfterSeconds: 1 } };
  }
  if (exception instanceof RemoteFailureError) {
    logger.error({ subject: exception.subject, err: exception.message }, 'service failed');
    return { reason: DenialReason.InternalError };
  }
  const code = codeOf(exception);
  if (code !== undefined && code in FRAMEWORK_CLIENT_ERRORS) return FRAMEWORK_CLIENT_ERRORS[code];
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest's router answers an unknown path — or a known path with another method — with a 404.
    if (status === 404) {
      return { reason: DenialReason.UnknownRoute, params: { detail: `${request.method} ${request.url}` } };
    }
    // Fastify's body-limit and content-type errors reach the filter wrapped by Nest, code lost.
    if (status === 413) return { reason: DenialReason.PayloadTooLarge };
    if (status === 415) return { reason: DenialReason.UnsupportedMediaType };
  }
  logger.error({ err: exception }, 'unhandled error');
  return { reason: DenialReason.InternalError };
}

/**
 * The denial for an error Node's HTTP server met before there was a request
 * (its `clientError` event): a header section over the limit, a request not
 * received in time, or anything its parser refuses (a NUL in a header, a
 * malformed request line), which llhttp describes in `reason` with a fixed
 * text that never holds the request's bytes.
 */
export function denialForClientError(error: unknown): Denial {
  const code = codeOf(error);
  if (code !== undefined && code in FRAMEWORK_CLIENT_ERRORS) return FRAMEWORK_CLIENT_ERRORS[code];
  const reason = (error as { reason?: unknown } | null)?.reason;
  return invalidRequest(`the request is not valid HTTP/1.1${typeof reason === 'string' ? ` (${reason})` : ''}`);
}

/** The headers of every error response: the denial's own, the tid, the content type. */
function errorHeaders(headers: Record<string, string>, tid: string): Record<string, string> {
  return { ...headers, [TID_RESPONSE_HEADER]: tid, 'content-type': 'application/json' };
}

/**
 * Whether a request reads Anthropic's error envelope: it is for Anthropic's
 * Messages API, or it sends `anthropic-version` (Anthropic's SDKs and
 * Claude Code do, on every request, /v1/models included).
 */
export function readsAnthropicErrors(request: FastifyRequest | undefined): boolean {
  if (!request) return false;
  const url = request.url;
  return (
    request.headers['anthropic-version'] !== undefined ||
    url === '/v1/messages' ||
    url.startsWith('/v1/messages/') ||
    url.startsWith('/v1/messages?')
  );
}

/**
 * The documented error in the client's envelope: OpenAI's (`{ error: {
 * message, type, param, code, tid } }`), or Anthropic's for its clients
 * (`{ type: 'error', error: { type, message, code, tid } }`) — the same
 * status, message and identifier either way.
 */
export function errorBodyFor(request: FastifyRequest | undefined, rendered: RenderedError): object {
  return readsAnthropicErrors(request)
    ? messagesDialect.errorBody(rendered.status, rendered.body.error)
    : rendered.body;
}

/** Writes a denial in the documented shape, with the tid in the body and the X-Tid header. */
export function sendDenial(reply: FastifyReply, denial: Denial, tid: string = newTid()): void {
  if (reply.sent || reply.raw.headersSent) return; // a started stream reports errors in-band
  reply.request.denialReason = denial.reason;
  const rendered = renderDenial(denial, tid);
  const body = errorBodyFor(reply.request, rendered);
  void reply.code(rendered.status).headers(errorHeaders(rendered.headers, tid)).send(JSON.stringify(body));
}

/**
 * Writes a denial as a whole HTTP/1.1 response straight to a socket that has
 * no request object (Node's `clientError`), and ends our side of the
 * connection: after a parse error nothing more can be read from it.
 */
export function writeDenialToSocket(
  socket: Duplex,
  denial: Denial,
  tid: string,
  options: { headOnly?: boolean } = {},
): void {
  const rendered = renderDenial(denial, tid);
  const body = JSON.stringify(rendered.body);
  const headers = {
    ...errorHeaders(rendered.headers, tid),
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = [
    `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  // The answer to a HEAD request has no body (RFC 9110 9.3.2): a client would read one as garbage.
  socket.end(`${head.join('\r\n')}\r\n\r\n${options.headOnly ? '' : body}`);
}
