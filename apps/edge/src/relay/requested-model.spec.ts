import { describe, expect, it } from '@jest/globals';
import { requestedModel } from './requested-model.js';

const detailOf = (result: ReturnType<typeof requestedModel>): string | undefined =>
  result.problem?.denial.params?.detail;

describe(requestedModel.name, () => {
  it("takes the body's model", () => {
    expect(requestedModel({ model: 'gpt-4o' }, {})).toEqual({ model: 'gpt-4o', problem: null });
    expect(requestedModel({ model: 'dall-e-3' }, { defaultModel: 'dall-e-2' }).model).toBe('dall-e-3');
  });

  it("falls back to the endpoint's default model when the body names none", () => {
    expect(requestedModel({}, { defaultModel: 'dall-e-2' }).model).toBe('dall-e-2');
    expect(requestedModel({ model: null }, { defaultModel: 'dall-e-2' }).model).toBe('dall-e-2');
  });

  it('refuses a missing, empty or mistyped model where the endpoint has no default', () => {
    expect(detailOf(requestedModel({}, {}))).toBe('model is required');
    expect(detailOf(requestedModel({ model: '' }, { defaultModel: 'x' }))).toBe('model is required');
    expect(detailOf(requestedModel(null, {}))).toBe('model is required');
    expect(detailOf(requestedModel({ model: 4 }, { defaultModel: 'x' }))).toBe('model must be a string');
    expect(requestedModel({ model: 4 }, {}).problem?.denial.params?.param).toBe('model');
  });

  it('refuses a model the services could not store: NUL, an unpaired surrogate, longer than a model name', () => {
    for (const model of ['gpt\u0000-4o', 'gpt-\ud800', 'm'.repeat(201)]) {
      const result = requestedModel({ model }, {});
      expect([result.model, result.problem?.denial.params?.param]).toEqual([null, 'model']);
    }
    expect(detailOf(requestedModel({ model: 'gpt\u0000-4o' }, {}))).toBe(
      'model must not contain NUL or unpaired surrogate characters',
    );
    expect(detailOf(requestedModel({ model: 'm'.repeat(201) }, {}))).toBe('model must be at most 200 characters');
  });
});
