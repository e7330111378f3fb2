import type { DenialException } from '@tollgate/errors';
import { invalid, type JsonObject } from '../openai/body-fields.js';
import type { EndpointSpec } from '../openai/endpoint.js';

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
  if (typeof named === 'string' && named !== '') return { model: named, problem: null };
  if ((named === undefined || named === null) && spec.defaultModel !== undefined) {
    return { model: spec.defaultModel, problem: null };
  }
  const mistyped = named !== undefined && named !== null && typeof named !== 'string';
  return { model: null, problem: invalid('model', mistyped ? 'model must be a string' : 'model is required') };
}
