import { inSpan, SpanKind, type Logger, type Span } from '@tollgate/observability';
import { decisionNoteOf } from './decision-note.js';
import { natsMessageDuration, natsMessages } from './message-metrics.js';
import { InvalidMessageError } from './request-check.js';

/** The level of a subject's handled-message lines: `info`, or `debug` for a high-rate one (HandleEvent's option). */
export type HandledMessageLevel = 'info' | 'debug';

/**
 * Where the lines go: the service's logger, set once at start-up, before the
 * server listens (runNatsService). Unset — a controller built by hand in a
 * spec — nothing is written. One logger per process, as one process runs one
 * service.
 */
let sink: Logger | undefined;

export function logHandledMessages(logger: Logger | undefined): void {
  sink = logger;
}

/** Failures logged on their message's line, so that RpcFailureFilter does not log them a second time. */
const logged = new WeakSet<object>();

export const failureWasLogged = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && logged.has(error);

/**
 * What a refusable subject's answer says: `ok`, or the denial's reason when
 * it is a `Reply` refusing the request. Only the `ok` flag and the reason are
 * read: a payload is never logged (keys and upstream secrets travel in some).
 */
function outcomeOf(answer: unknown, refuses: boolean): string {
  if (!refuses || typeof answer !== 'object' || answer === null) return 'ok';
  const reply = answer as { ok?: unknown; denial?: { reason?: unknown } };
  return reply.ok === false && typeof reply.denial?.reason === 'string' ? reply.denial.reason : 'ok';
}

const msSince = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

interface HandledMessage {
  subject: string;
  refuses: boolean;
  level: HandledMessageLevel;
}

function count(subject: string, outcome: string, ms: number): void {
  natsMessages.labels(subject, outcome).inc();
  natsMessageDuration.labels(subject).observe(ms / 1000);
}

function answered(message: HandledMessage, started: number, answer: unknown, span?: Span): void {
  const note = decisionNoteOf(answer);
  const outcome = outcomeOf(answer, message.refuses);
  const ms = msSince(started);
  count(message.subject, outcome, ms);
  span?.setAttribute('tollgate.outcome', outcome);
  // One pino call; the tid comes from the message's trace context (createNatsServer), like every line's.
  sink?.[message.level]({ ...note?.fields, subject: message.subject, outcome, ms }, note?.message ?? 'message handled');
}

function failed(message: HandledMessage, started: number, error: unknown, span?: Span): void {
  const outcome = error instanceof InvalidMessageError ? 'invalid_message' : 'failed';
  count(message.subject, outcome, msSince(started));
  span?.setAttribute('tollgate.outcome', outcome);
  if (!sink) return;
  if (error instanceof InvalidMessageError) {
    // The sender's fault, named precisely; the handler did not run.
    sink.warn(
      { subject: message.subject, outcome: 'invalid_message', problem: error.problem, ms: msSince(started) },
      'message does not match its subject',
    );
  } else {
    sink.error({ subject: message.subject, outcome: 'failed', err: error, ms: msSince(started) }, 'message failed');
  }
  if (typeof error === 'object' && error !== null) logged.add(error);
}

/**
 * Runs a handler and writes the one line its message gets: the subject, the
 * outcome (`ok`, the denial's reason, `failed` with the error, or
 * `invalid_message`), the milliseconds, the tid, and the decision the handler
 * noted on its answer (noteDecision). A synchronous handler stays
 * synchronous; a failure is logged here and thrown on to RpcFailureFilter,
 * which answers the caller.
 */
export function runLogged(message: HandledMessage, handle: () => unknown): unknown {
  // With tracing on, the handler is a span: its name the subject, its parent the sender's (createNatsServer).
  return inSpan(message.subject, SpanKind.SERVER, { 'messaging.system': 'nats' }, (span) => {
    const started = performance.now();
    let answer: unknown;
    try {
      answer = handle();
    } catch (error) {
      failed(message, started, error, span);
      throw error;
    }
    if (!(answer instanceof Promise)) {
      answered(message, started, answer, span);
      return answer;
    }
    return answer.then(
      (value: unknown) => {
        answered(message, started, value, span);
        return value;
      },
      (error: unknown) => {
        failed(message, started, error, span);
        throw error;
      },
    );
  });
}
