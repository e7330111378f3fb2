import { describe, expect, it } from '@jest/globals';
import { compile } from '../schema/validator.js';
import { DEFAULT_MODERATION_MODEL, ModerationRequest } from './moderations.schema.js';

const sut = compile(ModerationRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};
const INPUT_SENTENCE = 'input must be a string, an array of strings or an array of input parts';

describe('ModerationRequest', () => {
  // The examples of OpenAI's API reference for POST /v1/moderations.
  it.each([
    ['single string', { input: 'I want to kill them.' }],
    [
      'image and text',
      {
        model: 'omni-moderation-latest',
        input: [
          { type: 'text', text: '...text to classify goes here...' },
          { type: 'image_url', image_url: { url: 'https://example.com/image.png' } },
        ],
      },
    ],
  ])('accepts the documented example "%s"', (_name, body) => {
    expect(problemOf(body)).toBeNull();
  });

  it('names the model OpenAI uses when the body names none', () => {
    expect(ModerationRequest.properties.model.default).toBe(DEFAULT_MODERATION_MODEL);
    expect(problemOf({ model: null, input: ['a', 'b'] })).toBeNull();
  });

  it('passes every field it does not declare through', () => {
    const body = { input: 'x', categories: ['violence'] };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [{}, 'input', 'input is required'],
    [{ input: 3 }, 'input', INPUT_SENTENCE],
    [{ input: null }, 'input', INPUT_SENTENCE],
    [{ input: [] }, 'input', INPUT_SENTENCE],
    [{ input: ['a', 3] }, 'input', INPUT_SENTENCE],
    [{ input: [{ text: 'no type' }] }, 'input', INPUT_SENTENCE],
    [{ model: 5, input: 'x' }, 'model', 'model must be a string'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});
