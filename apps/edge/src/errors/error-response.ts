import { HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DenialException, DenialReason, renderDenial, type Denial } from '@tollgate/errors';
import { RemoteFailureError, ServiceUnavailableError } from '@tollgate/nats';
import { newTid, type Logger } from '@tollgate/observability';
import { TID_RESPONSE_HEADER } from '../http/request-context.js';

/** Fastify's own errors that are really the client's mistake. */
const FASTIFY_CLIENT_ERRORS: Record<string, DenialReason> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: DenialReason.UnsupportedMediaType,
  FST_ERR_CTP_BODY_TOO_LARGE: DenialReason.PayloadTooLarge,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: DenialReason.InvalidRequest,
  FST_ERR_CTP_EMPTY_JSON_BODY: DenialReason.MalformedJson,
  FST_ERR_CTP_INVALID_JSON_BODY: DenialReason.MalformedJson,
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
  const code = (exception as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in FASTIFY_CLIENT_ERRORS) {
    return { reason: FASTIFY_CLIENT_ERRORS[code] };
  }
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

/** Writes a denial in the documented shape, with the tid in the body and the X-Tid header. */
export function sendDenial(reply: FastifyReply, denial: Denial, tid: string = newTid()): void {
  if (reply.sent || reply.raw.headersSent) return; // a started stream reports errors in-band
  const rendered = renderDenial(denial, tid);
  void reply
    .code(rendered.status)
    .headers({ ...rendered.headers, [TID_RESPONSE_HEADER]: tid, 'content-type': 'application/json' })
    .send(JSON.stringify(rendered.body));
}
