import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '../schema/fields.js';
import { compile } from '../schema/validator.js';
import { EmbeddingRequest } from './embeddings.schema.js';

const sut = compile(EmbeddingRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};
const INPUT_SENTENCE = `input must be a non-empty string, or an array of 1 to ${LIMITS.embeddingInputs} strings, token ids or token-id arrays`;

describe('EmbeddingRequest', () => {
  it("accepts the example of OpenAI's API reference", () => {
    const body = {
      input: 'The food was delicious and the waiter...',
      model: 'text-embedding-ada-002',
      encoding_format: 'float',
    };
    expect(problemOf(body)).toBeNull();
  });

  it.each([
    ['hello'],
    [['a', 'b']],
    [[1, 2]],
    [[[1], [2, 3]]],
    [Array.from({ length: LIMITS.embeddingInputs }, () => 'x')],
  ])('accepts the input %j', (input) => {
    expect(problemOf({ model: 'm', input, encoding_format: 'base64', dimensions: 8 })).toBeNull();
  });

  it('passes every field it does not declare through; takes null for an optional one', () => {
    const body = { model: 'm', input: 'x', truncate: 'END', encoding_format: null, dimensions: null, user: null };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [{ model: 'm' }, 'input', 'input is required'],
    [{ model: 'm', input: '' }, 'input', INPUT_SENTENCE],
    [{ model: 'm', input: [] }, 'input', INPUT_SENTENCE],
    [{ model: 'm', input: { text: 'x' } }, 'input', INPUT_SENTENCE],
    [{ model: 'm', input: Array.from({ length: LIMITS.embeddingInputs + 1 }, () => 'x') }, 'input', INPUT_SENTENCE],
    [{ model: 'm', input: Array.from({ length: LIMITS.embeddingInputs + 1 }, () => 1) }, 'input', INPUT_SENTENCE],
    [{ input: 'x' }, 'model', 'model is required'],
    [
      { model: 'm', input: 'x', encoding_format: 'int8' },
      'encoding_format',
      "encoding_format must be one of 'float', 'base64'",
    ],
    [{ model: 'm', input: 'x', dimensions: 0 }, 'dimensions', 'dimensions must be at least 1'],
    [{ model: 'm', input: 'x', dimensions: '8' }, 'dimensions', 'dimensions must be an integer'],
    [{ model: 'm', input: 'x', user: 42 }, 'user', 'user must be a string'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});
