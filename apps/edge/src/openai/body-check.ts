import type { InputProblem, Validator } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { invalid, type JsonObject } from './body-fields.js';

/**
 * The seed documents its own 400 for `n` ("invalid value of n",
 * n_not_within_range), so an `n` that is a number the contract refuses is
 * that row; any other refusal, an `n` of another type included, is an
 * invalid request naming the field.
 */
function refusal(problem: InputProblem, body: JsonObject): DenialException {
  if (problem.param === 'n' && typeof body.n === 'number') return new DenialException(DenialReason.NNotWithinRange);
  return invalid(problem.param, problem.detail);
}

/**
 * Checks a request body against its endpoint's contract (compiled once, at
 * module load) and narrows it to the contract's type: the same object, not
 * a copy, since the relay forwards the client's own bytes.
 */
export function checkBody<T>(contract: Validator<T>, body: JsonObject): asserts body is JsonObject & T {
  // `is` is the compiled check alone; only a refused body pays for finding the field at fault.
  if (contract.is(body)) return;
  const checked = contract.check(body);
  if (!checked.ok) throw refusal(checked.problem, body);
}
