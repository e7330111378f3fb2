import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '../schema/fields.js';
import { compile } from '../schema/validator.js';
import { CompletionRequest } from './completions.schema.js';

const sut = compile(CompletionRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};
const PROMPT_SENTENCE = 'prompt must be a string, an array of strings or an array of token ids';

describe('CompletionRequest', () => {
  // The examples of OpenAI's API reference for POST /v1/completions.
  it.each([
    ['no streaming', { model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7, temperature: 0 }],
    [
      'streaming',
      { model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7, temperature: 0, stream: true },
    ],
  ])('accepts the documented example "%s"', (_name, body) => {
    expect(problemOf(body)).toBeNull();
  });

  it.each([['Say hi'], [''], [['a', 'b']], [[1, 2, 3]], [[[1, 2], [3]]]])('accepts the prompt %j', (prompt) => {
    expect(problemOf({ model: 'm', prompt })).toBeNull();
  });

  it('passes every field it does not declare through; takes null for an optional one', () => {
    const body = { model: 'm', prompt: 'x', suffix: '!', seed: 1, logit_bias: { '50256': -100 }, echo: null, n: null };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it('allows max_tokens 0 (echo scoring) and the documented bounds of best_of and logprobs', () => {
    expect(problemOf({ model: 'm', prompt: 'x', max_tokens: 0, echo: true })).toBeNull();
    expect(problemOf({ model: 'm', prompt: 'x', best_of: LIMITS.bestOf, logprobs: LIMITS.completionLogprobs })).toBe(
      null,
    );
    expect(problemOf({ model: 'm', prompt: 'x', logprobs: 0, n: LIMITS.choices })).toBeNull();
  });

  it.each([
    [{ model: 'm' }, 'prompt', 'prompt is required'],
    [{ model: 'm', prompt: 12 }, 'prompt', PROMPT_SENTENCE],
    [{ model: 'm', prompt: [] }, 'prompt', PROMPT_SENTENCE],
    [{ model: 'm', prompt: ['a', 1] }, 'prompt', PROMPT_SENTENCE],
    [{ model: 'm', prompt: [[1], []] }, 'prompt', PROMPT_SENTENCE],
    [{ model: 'm', prompt: [1.5] }, 'prompt', PROMPT_SENTENCE],
    [{ prompt: 'x' }, 'model', 'model is required'],
    [{ model: 'm', prompt: 'x', max_tokens: -1 }, 'max_tokens', 'max_tokens must be at least 0'],
    [{ model: 'm', prompt: 'x', n: 'two' }, 'n', 'n must be an integer'],
    [{ model: 'm', prompt: 'x', n: 0 }, 'n', 'n must be at least 1'],
    [{ model: 'm', prompt: 'x', best_of: 0 }, 'best_of', 'best_of must be at least 1'],
    [{ model: 'm', prompt: 'x', best_of: LIMITS.bestOf + 1 }, 'best_of', `best_of must be at most ${LIMITS.bestOf}`],
    [
      { model: 'm', prompt: 'x', logprobs: LIMITS.completionLogprobs + 1 },
      'logprobs',
      `logprobs must be at most ${LIMITS.completionLogprobs}`,
    ],
    [{ model: 'm', prompt: 'x', echo: 'no' }, 'echo', 'echo must be a boolean'],
    [{ model: 'm', prompt: 'x', stream: 1 }, 'stream', 'stream must be a boolean'],
    [
      { model: 'm', prompt: 'x', stream_options: { include_usage: 1 } },
      'stream_options.include_usage',
      'stream_options.include_usage must be a boolean',
    ],
    [{ model: 'm', prompt: 'x', temperature: 'hot' }, 'temperature', 'temperature must be a number'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});
