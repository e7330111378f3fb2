import { describe, expect, it } from '@jest/globals';
import { DenialException, renderDenial } from '@tollgate/errors';
import type { EdgeConfig } from '../../edge.config.js';
import { countText } from '../../relay/usage-estimate.js';
import type { JsonObject } from '../endpoint.js';
import { completionsEndpoint as sut } from './completions.endpoint.js';

function errorFor(body: JsonObject): { code: string | null; param: string | null } | null {
  try {
    sut.validate(body);
    return null;
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    const { code, param } = renderDenial(error.denial, 'tid').body.error;
    return { code, param };
  }
}

const config = {} as EdgeConfig;

describe('completionsEndpoint', () => {
  it.each([['Say hi'], [['a', 'b']], [[1, 2, 3]], [[[1, 2], [3]]]])('accepts the prompt %j', (prompt) => {
    expect(errorFor({ model: 'm', prompt })).toBeNull();
  });

  it.each([
    [{}, 'prompt'],
    [{ prompt: 12 }, 'prompt'],
    [{ prompt: [] }, 'prompt'],
    [{ prompt: ['a', 1] }, 'prompt'],
    [{ prompt: 'x', max_tokens: -1 }, 'max_tokens'],
    [{ prompt: 'x', n: 'two' }, 'n'],
    [{ prompt: 'x', stream: 1 }, 'stream'],
    [{ prompt: 'x', echo: 'no' }, 'echo'],
    [{ prompt: 'x', best_of: 0 }, 'best_of'],
    [{ prompt: 'x', best_of: 21 }, 'best_of'],
    [{ prompt: 'x', logprobs: 6 }, 'logprobs'],
    [{ prompt: 'x', stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage'],
    // Refused by the relay before validation too; the contract says the same.
    [{ prompt: 'x', model: 7 }, 'model'],
  ])('refuses %j (param %s)', (body, param) => {
    expect(errorFor({ model: 'm', ...body })).toEqual({ code: 'invalid_request', param });
  });

  it('answers an n out of range with the seed row n_not_within_range', () => {
    expect(errorFor({ model: 'm', prompt: 'x', n: 0 })).toEqual({ code: 'n_not_within_range', param: null });
    expect(errorFor({ model: 'm', prompt: 'x', n: 129 })).toEqual({ code: 'n_not_within_range', param: null });
    expect(errorFor({ model: 'm', prompt: 'x', n: 128 })).toBeNull();
  });

  it('allows max_tokens 0 (echo scoring)', () => {
    expect(errorFor({ model: 'm', prompt: 'x', max_tokens: 0, echo: true })).toBeNull();
  });

  it("holds the prompt's tokens and max_tokens (default 16) for every completion generated", () => {
    expect(sut.estimate({ prompt: 'Say hi' }, config)).toMatchObject({
      inputTokens: countText('Say hi'),
      outputTokens: 16,
    });
    expect(sut.estimate({ prompt: 'Say hi', max_tokens: 10, n: 2 }, config).outputTokens).toBe(20);
    expect(sut.estimate({ prompt: 'Say hi', max_tokens: 10, n: 2, best_of: 5 }, config).outputTokens).toBe(50);
    expect(sut.estimate({ prompt: ['a', 'b', 'c'], max_tokens: 10 }, config).outputTokens).toBe(30);
    expect(sut.estimate({ prompt: [1, 2, 3], max_tokens: 10 }, config)).toMatchObject({
      inputTokens: 3,
      outputTokens: 10,
    });
  });

  it('bills the reported usage, else counts the generated text', () => {
    const estimate = sut.estimate({ prompt: 'Say hi' }, config);
    expect(sut.usageFromResponse({ choices: [{ text: ' Hello' }, { text: ' Hi' }] }, {}, estimate)).toMatchObject({
      inputTokens: estimate.inputTokens,
      outputTokens: countText(' Hello') + countText(' Hi'),
    });
    expect(sut.usageFromResponse({ usage: { prompt_tokens: 2, completion_tokens: 3 } }, {}, estimate)).toMatchObject({
      inputTokens: 2,
      outputTokens: 3,
    });
  });
});
