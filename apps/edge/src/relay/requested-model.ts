import { RequestedModel, validatorFor } from '@tollgate/contracts';
import { Type } from '@tollgate/typebox';
import type { DenialException } from '@tollgate/errors';
import { invalid, type JsonObject } from '../openai/body-fields.js';
import type { EndpointSpec } from '../openai/endpoint.js';

/** The body's `model` as every /v1 request schema declares it, checked alone so a refusal names it. */
const modelField = validatorFor(RequestedModel());
const modelOnly = validatorFor(Type.Object({ model: RequestedModel() }));

/**
 * The model a request is for: the body's `model`, or the endpoint's default
 * when the body names none. Resolved before authentication (auth checks the
 * key may use it); a missing or mistyped model is refused only after it, as
 * the 400 it is — `problem` is that refusal, thrown by the relay.
 */
export function requestedModel(
  body: JsonObject | null,
  spec: Pick<EndpointSpec, 'defaultModel'>,
): { model: string; problem: null } | { model: null; problem: DenialException } {
  const named = body?.model;
  if (modelField.is(named)) return { model: named, problem: null };
  if ((named === undefined || named === null) && spec.defaultModel !== undefined) {
    return { model: spec.defaultModel, problem: null };
  }
  if (named === undefined || named === null || named === '')
    return { model: null, problem: invalid('model', 'model is required') };
  if (typeof named !== 'string') return { model: null, problem: invalid('model', 'model must be a string') };
  const checked = modelOnly.check({ model: named });
  return { model: null, problem: invalid('model', checked.ok ? 'model is not valid' : checked.problem.detail) };
}
