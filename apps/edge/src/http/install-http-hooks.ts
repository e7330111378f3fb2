import type { FastifyInstance } from 'fastify';
import {
  endSpan,
  runInServerSpan,
  TraceContext,
  tidFromTraceparent,
  tracing,
  type Logger,
} from '@tollgate/observability';
import { DenialException, DenialReason } from '@tollgate/errors';
import { findDuplicateJsonKey } from './duplicate-json-key.js';
import { TID_RESPONSE_HEADER } from './request-context.js';
import { installUploadRoutes } from './upload-routes.js';

/**
 * Fastify-level plumbing every route shares:
 * - the tid: taken from `traceparent` or made up, set as X-Tid on every
 *   response, and made the async context of everything the request does (the
 *   rest of the hook chain runs inside TraceContext.run, as
 *   @fastify/request-context does); with tracing on, the request's span too;
 * - JSON bodies parsed once, keeping the raw bytes for forwarding upstream,
 *   and refused with a documented error when malformed or when a key
 *   appears twice in one object.
 * Errors raised before a handler runs (body parsing, size limits, content
 * types, unknown routes) reach Nest's exception layer, and so the same
 * ErrorResponseFilter as everything else; those raised before these hooks
 * (by the router, or by Node's HTTP parser) are answered by
 * framework-error-handlers.ts, with the same table of Fastify's and Node's
 * errors (errors/error-response.ts).
 */
export function installHttpHooks(fastify: FastifyInstance, logger: Logger, uploadLimitBytes: number): void {
  fastify.decorateRequest('tid', '');
  fastify.decorateRequest('rawBody', undefined);
  fastify.decorateRequest('denialReason', undefined);

  fastify.addHook('onRequest', (request, reply, done) => {
    const tid = tidFromTraceparent(request.headers.traceparent);
    request.tid = tid;
    void reply.header(TID_RESPONSE_HEADER, tid);
    if (!tracing.enabled) return TraceContext.run(tid, done);
    // The request's span: the root of its trace (whose id is the tid), or the child of the client's traceparent.
    TraceContext.run(tid, () => {
      const route = request.routeOptions.url ?? 'unknown route';
      runInServerSpan(
        `${request.method} ${route}`,
        request.headers,
        { 'http.request.method': request.method, 'http.route': route },
        (span) => {
          // 'close' comes after the last byte and after a client went away: every span ends.
          reply.raw.once('close', () => {
            span.setAttribute('http.response.status_code', reply.statusCode);
            if (request.denialReason) span.setAttribute('tollgate.denial', request.denialReason);
            endSpan(span, reply.statusCode >= 500 ? `HTTP ${reply.statusCode}` : undefined);
          });
          done();
        },
      );
    });
  });

  // One access line per request: what support staff find when a client quotes a tid. A refusal
  // names its documented error (`reason`): a denial the edge decided itself, such as no channel
  // for the model (from its copy of the router's table), is logged nowhere else.
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      {
        tid: request.tid,
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0],
        status: reply.statusCode,
        reason: request.denialReason,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
    done();
  });

  // JSON, and forms on the upload routes only: any other content type is refused with 415 before a handler runs.
  fastify.removeAllContentTypeParsers();
  installUploadRoutes(fastify, uploadLimitBytes);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return done(new DenialException(DenialReason.MalformedJson), undefined);
    }
    // The bytes checked must be the bytes sent upstream: see duplicate-json-key.ts.
    const duplicate = typeof parsed === 'object' && parsed !== null ? findDuplicateJsonKey(raw) : null;
    if (duplicate === null) return done(null, parsed);
    done(
      new DenialException(DenialReason.InvalidRequest, {
        param: duplicate,
        detail: `${duplicate} appears twice; send each key once`,
      }),
      undefined,
    );
  });
}
