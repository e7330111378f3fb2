import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { throwError, type Observable } from 'rxjs';

/**
 * Failures (not denials) inside a NATS handler: log them here, with the tid,
 * and answer the caller with a generic error so that no internal message or
 * stack crosses the bus towards a client.
 */
@Catch()
export class RpcFailureFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown): Observable<never> {
    this.logger.error({ err: exception }, 'handler failed');
    return throwError(() => ({ status: 'error', message: 'Internal server error' }));
  }
}
