import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { throwError, type Observable } from 'rxjs';
import { failureWasLogged } from './handled-message-log.js';
import { InvalidMessageError } from './request-check.js';

/**
 * Failures (not denials) inside a NATS handler: answer the caller with a
 * generic error so that no internal message or stack crosses the bus towards
 * a client. A failure of a HandleRequest / HandleEvent handler was logged
 * on its message's line already (runLogged); any other is logged here, with
 * the tid.
 */
@Catch()
export class RpcFailureFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown): Observable<never> {
    if (!failureWasLogged(exception)) this.log(exception);
    return throwError(() => ({ status: 'error', message: 'Internal server error' }));
  }

  private log(exception: unknown): void {
    if (exception instanceof InvalidMessageError) {
      // The sender's fault, named precisely; the handler did not run.
      this.logger.warn(
        { subject: exception.subject, problem: exception.problem },
        'message does not match its subject',
      );
    } else {
      this.logger.error({ err: exception }, 'handler failed');
    }
  }
}
