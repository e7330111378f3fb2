import { pino, type Logger, type LoggerOptions } from 'pino';
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
];

/**
 * JSON logs for one service: every line names the service and, inside a
 * request, its tid (taken from the async context, so callers never pass it).
 */
export function createLogger(service: string, level: string = 'info', options: LoggerOptions = {}): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin() {
      const tid = TraceContext.tid();
      return tid ? { tid } : {};
    },
    ...options,
  });
}
