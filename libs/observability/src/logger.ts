import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { TraceContext } from './trace-context.js';

export type { Logger } from 'pino';

/**
 * Paths that could hold a secret anywhere in a logged object. pino replaces
 * them before serialising, so a careless `log.info({ headers })` cannot leak.
 */
const REDACT = [
  'authorization',
  'apiKey',
  'upstreamKey',
  'key',
  'rawKey',
  'password',
  'secret',
  '*.authorization',
  '*.apiKey',
  '*.upstreamKey',
  '*.rawKey',
  '*.password',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
  // A failed query (TypeORM's QueryFailedError, pg's error) carries the statement's parameters:
  // amounts, idempotency keys, whatever a client sent. The statement and the error code are enough.
  'err.parameters',
  'err.driverError.parameters',
  'err.cause.parameters',
];

/**
 * JSON logs for one service: every line names the service and, inside a
 * request, its tid (taken from the async context, so callers never pass it).
 */
export function createLogger(
  service: string,
  level: string = 'info',
  options: LoggerOptions = {},
  destination?: DestinationStream,
): Logger {
  const config: LoggerOptions = {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin() {
      const tid = TraceContext.tid();
      return tid ? { tid } : {};
    },
    ...options,
  };
  return destination ? pino(config, destination) : pino(config);
}
