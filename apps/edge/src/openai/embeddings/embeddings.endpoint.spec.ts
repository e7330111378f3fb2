import { describe, expect, it } from '@jest/globals';
import { DenialException, renderDenial } from '@tollgate/errors';
import type { EdgeConfig } from '../../edge.config.js';
import { countText } from '../../relay/usage-estimate.js';
import type { JsonObject } from '../endpoint.js';
import { embeddingsEndpoint as sut } from './embeddings.endpoint.js';

function paramOfError(body: JsonObject): string | null | undefined {
  try {
    sut.validate(body);
    return undefined;
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    const rendered = renderDenial(error.denial, 'tid');
    expect(rendered.status).toBe(400);
    expect(rendered.body.error.code).toBe('invalid_request');
    return rendered.body.error.param;
  }
}

describe('embeddingsEndpoint', () => {
  it.each([['hello'], [['a', 'b']], [[1, 2]], [[[1], [2, 3]]]])('accepts the input %j', (input) => {
    expect(paramOfError({ model: 'm', input, encoding_format: 'base64', dimensions: 8 })).toBeUndefined();
  });

  it.each([
    [{}, 'input'],
    [{ input: '' }, 'input'],
    [{ input: [] }, 'input'],
    [{ input: { text: 'x' } }, 'input'],
    [{ input: Array.from({ length: 2049 }, () => 'x') }, 'input'],
    [{ input: 'x', encoding_format: 'int8' }, 'encoding_format'],
    [{ input: 'x', dimensions: 0 }, 'dimensions'],
    [{ input: 'x', dimensions: '8' }, 'dimensions'],
    [{ input: 'x', user: 42 }, 'user'],
    // Refused by the relay before validation too; the contract says the same.
    [{ input: 'x', model: 7 }, 'model'],
  ])('refuses %j (param %s)', (body, param) => {
    expect(paramOfError({ model: 'm', ...body })).toBe(param);
  });

  it('holds the input tokens and nothing else; bills the reported prompt tokens', () => {
    const estimate = sut.estimate({ input: ['Hello there', 'Hi'] }, {} as EdgeConfig);
    expect(estimate).toEqual({
      inputTokens: countText('Hello there') + countText('Hi'),
      inputAllowanceTokens: 0,
      outputTokens: 0,
      images: 0,
      imageSize: null,
      characters: 0,
    });
    expect(sut.usageFromResponse({ usage: { prompt_tokens: 11, total_tokens: 11 } }, {}, estimate)).toEqual({
      inputTokens: 11,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      images: 0,
      characters: 0,
      audioSeconds: 0,
    });
    expect(sut.usageFromResponse({}, {}, estimate).inputTokens).toBe(estimate.inputTokens);
  });
});
