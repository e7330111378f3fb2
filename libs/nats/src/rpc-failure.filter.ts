import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { throwError, type Observable } from 'rxjs';
import { InvalidMessageError } from './request-check.js';

/**
 * Failures (not denials) inside a NATS handler: log them here, with the tid,
 * and answer the caller with a generic error so that no internal message or
 * stack crosses the bus towards a client.
 */
@Catch()
export class RpcFailureFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown): Observable<never> {
    if (exception instanceof InvalidMessageError) {
      // The sender's fault, named precisely; the handler did not run.
      this.logger.warn(
        { subject: exception.subject, problem: exception.problem },
        'message does not match its subject',
      );
    } else {
      this.logger.error({ err: exception }, 'handler failed');
    }
    return throwError(() => ({ status: 'error', message: 'Internal server error' }));
  }
}
