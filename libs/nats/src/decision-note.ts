/** What a handler says of the decision its answer carries (see noteDecision). */
export interface DecisionNote {
  /** The log line's message: 'hold placed', 'authentication refused'. */
  message: string;
  /** The few ids and amounts that identify the decision. */
  fields: Record<string, unknown>;
}

// Keyed by the answer object itself: nothing is added to what crosses the bus, and a note lives as long as its answer.
const notes = new WeakMap<object, DecisionNote>();

/**
 * Names the decision an answer carries (a hold placed, a key refused) and the
 * ids that identify it, for the one line its message gets in the service's
 * log (HandleRequest): the decision is told on that line, not on a second
 * line of the handler's own. The tid, subject, outcome and milliseconds are
 * added there. Never note a payload or a secret: upstream keys and client
 * keys travel in some answers. The answer must be an object made for this
 * message (`ok(…)` and `refused(…)` make one each time), never a shared or
 * cached one, which concurrent messages would note over. Returns the answer.
 */
export function noteDecision<Answer extends object>(
  answer: Answer,
  message: string,
  fields: Record<string, unknown> = {},
): Answer {
  notes.set(answer, { message, fields });
  return answer;
}

/** The note a handler left on its answer, if any. */
export function decisionNoteOf(answer: unknown): DecisionNote | undefined {
  return typeof answer === 'object' && answer !== null ? notes.get(answer) : undefined;
}
