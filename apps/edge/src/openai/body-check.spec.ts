import { describe, expect, it } from '@jest/globals';
import { Type } from '@tollgate/typebox';
import { compile, LIMITS, Nullable } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { requestedModel } from '../relay/requested-model.js';
import { speechEndpoint } from './audio/speech.endpoint.js';
import { checkBody } from './body-check.js';
import type { JsonObject } from './body-fields.js';
import { ModelCapabilities } from './capabilities/model-capabilities.js';
import { chatCompletionsEndpoint } from './chat/chat-completions.endpoint.js';
import { completionsEndpoint } from './completions/completions.endpoint.js';
import { embeddingsEndpoint } from './embeddings/embeddings.endpoint.js';
import type { EndpointSpec } from './endpoint.js';
import { imagesEndpoint } from './images/images.endpoint.js';
import { moderationsEndpoint } from './moderations/moderations.endpoint.js';

/** The denial a call throws, or null when it passes. */
function denialOf(call: () => void): DenialException['denial'] | null {
  try {
    call();
    return null;
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    return error.denial;
  }
}

describe(checkBody.name, () => {
  const contract = compile(
    Type.Object(
      { n: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 4 }))), name: Type.Optional(Type.String()) },
      { additionalProperties: true },
    ),
  );

  it('lets a body that meets its contract through, unknown fields and all', () => {
    expect(denialOf(() => checkBody(contract, { n: 4, name: 'x', extra: [1] }))).toBeNull();
    expect(denialOf(() => checkBody(contract, { n: null }))).toBeNull();
  });

  it.each([[0], [5], [1.5], [-1]])('answers n=%d, a number the contract refuses, with n_not_within_range', (n) => {
    expect(denialOf(() => checkBody(contract, { n }))).toEqual({ reason: DenialReason.NNotWithinRange });
  });

  it('refuses an n of another type, like any wrong field, as invalid_request naming it', () => {
    expect(denialOf(() => checkBody(contract, { n: '2' }))).toEqual({
      reason: DenialReason.InvalidRequest,
      params: { param: 'n', detail: 'n must be an integer' },
    });
    expect(denialOf(() => checkBody(contract, { name: 3 }))).toEqual({
      reason: DenialReason.InvalidRequest,
      params: { param: 'name', detail: 'name must be a string' },
    });
  });
});

describe('the /v1 contracts and the relay', () => {
  const capabilities = new ModelCapabilities();
  const endpoints: Array<[string, EndpointSpec, JsonObject]> = [
    ['chat completions', chatCompletionsEndpoint, { messages: [{ role: 'user', content: 'hi' }] }],
    ['completions', completionsEndpoint, { prompt: 'hi', n: LIMITS.choices }],
    ['embeddings', embeddingsEndpoint, { input: 'hi' }],
    ['images', imagesEndpoint(capabilities), { prompt: 'a cat' }],
    ['speech', speechEndpoint(capabilities), { voice: 'alloy', input: 'hi' }],
    ['moderations', moderationsEndpoint, { input: 'hi' }],
  ];
  const models: unknown[] = [undefined, null, '', ' ', 'gpt-4o', 7, true, {}, ['gpt-4o']];

  // The relay reads the model before authentication (requested-model.ts); the contract must not disagree with it.
  it.each(endpoints)('%s: the contract refuses exactly the models the relay refuses', (_name, spec, body) => {
    for (const model of models) {
      const withModel = model === undefined ? body : { ...body, model };
      const byRelay = requestedModel(withModel, spec).problem !== null;
      const denial = denialOf(() => spec.validate(withModel));
      expect({ model, refused: denial !== null }).toEqual({ model, refused: byRelay });
      if (denial) expect(denial.params?.param).toBe('model');
    }
  });
});
