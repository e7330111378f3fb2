import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import type { EdgeConfig } from '../../edge.config.js';
import { countText } from '../../relay/usage-estimate.js';
import type { JsonObject } from '../endpoint.js';
import { moderationsEndpoint as sut } from './moderations.endpoint.js';

const refuses = (body: JsonObject): boolean => {
  try {
    sut.validate(body);
    return false;
  } catch (error) {
    if (error instanceof DenialException) return true;
    throw error;
  }
};

describe('moderationsEndpoint', () => {
  it('defaults the model like OpenAI does', () => {
    expect(sut.defaultModel).toBe('omni-moderation-latest');
  });

  it.each([
    ['text'],
    [['a', 'b']],
    [
      [
        { type: 'text', text: 'x' },
        { type: 'image_url', image_url: { url: 'u' } },
      ],
    ],
  ])('accepts the input %j', (input) => {
    expect(refuses({ input })).toBe(false);
  });

  it.each([
    [{}],
    [{ input: 3 }],
    [{ input: [] }],
    [{ input: ['a', 3] }],
    [{ input: [{ text: 'no type' }] }],
    [{ input: null }],
    // Refused by the relay before validation too; the contract says the same.
    [{ input: 'x', model: 5 }],
  ])('refuses %j', (body) => {
    expect(refuses(body)).toBe(true);
  });

  it('holds and bills the input tokens (OpenAI reports no usage here)', () => {
    const estimate = sut.estimate({ input: ['Hello there', 'Hi'] }, {} as EdgeConfig);
    expect(estimate.inputTokens).toBe(countText('Hello there') + countText('Hi'));
    expect(sut.usageFromResponse({ id: 'modr', results: [] }, {}, estimate)).toEqual({
      inputTokens: estimate.inputTokens,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      images: 0,
      characters: 0,
      audioSeconds: 0,
    });
  });
});
