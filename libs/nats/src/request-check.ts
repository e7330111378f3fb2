import { refused, validatorFor, type EventSubject, type InputProblem, type Subject } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';

/**
 * A message that is not what its subject declares, on a subject that cannot
 * answer with a denial: a fault of the sender, not of the input of a client.
 */
export class InvalidMessageError extends Error {
  constructor(
    readonly subject: string,
    readonly problem: InputProblem,
  ) {
    super(`${subject}: ${problem.detail}`);
    this.name = 'InvalidMessageError';
  }
}

export type RequestCheck<Request, Response> = { ok: true; request: Request } | { ok: false; answer: Response };

/**
 * Checks what arrived on `target` against its request schema. A request it
 * refuses never reaches the handler:
 * - a subject whose reply is a `Reply` answers it with InvalidRequest naming
 *   the field, as data, like any other denial;
 * - a subject whose reply cannot carry a denial (`balance`, `models`, the
 *   pings…) has nothing to answer instead, so the request fails with
 *   InvalidMessageError: the service logs the field at fault and the caller
 *   gets RemoteFailureError, rather than an answer computed from input the
 *   handler was not written for, or one of a shape it does not expect.
 */
export function checkRequest<Request, Response>(
  target: Subject<Request, Response>,
  payload: unknown,
): RequestCheck<Request, Response> {
  const checked = validatorFor(target.request).check(payload);
  if (checked.ok) return { ok: true, request: checked.value };
  if (!target.refuses) throw new InvalidMessageError(target.name, checked.problem);
  // `refuses` says the reply is a Reply, of which a denial is one case.
  return { ok: false, answer: refused(deny(DenialReason.InvalidRequest, checked.problem)) as Response };
}

/** Checks an event against its subject's payload schema; nobody waits for an answer, so one that fails is an error. */
export function checkEvent<Payload>(target: EventSubject<Payload>, payload: unknown): Payload {
  const checked = validatorFor(target.payload).check(payload);
  if (!checked.ok) throw new InvalidMessageError(target.name, checked.problem);
  return checked.value;
}

/**
 * `handler` as a service runs it for `target`: only for a request the
 * subject's schema accepts (see checkRequest). For code that calls a
 * service the way NATS does without going through NATS, such as specs.
 */
export const checkedHandler =
  <Request, Response>(
    target: Subject<Request, Response>,
    handler: (request: Request) => Response | Promise<Response>,
  ) =>
  async (payload: unknown): Promise<Response> => {
    const checked = checkRequest(target, payload);
    return checked.ok ? handler(checked.request) : checked.answer;
  };
