import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@tollgate/observability';
import { denialForError, sendDenial } from './error-response.js';

/** Nest's side of error rendering: every exception from a route handler. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendDenial(http.getResponse<FastifyReply>(), denialForError(exception, request, this.logger), request.tid);
  }
}
