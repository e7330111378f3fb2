import { describe, expect, it } from '@jest/globals';
import { DenialException, renderDenial } from '@tollgate/errors';
import { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { JsonObject } from '../endpoint.js';
import { imagesEndpoint } from './images.endpoint.js';

const sut = imagesEndpoint(new ModelCapabilities());

/** The rendered error a body gets, or null when it passes. */
function errorFor(
  body: JsonObject,
): { status: number; code: string | null; message: string; param: string | null } | null {
  try {
    sut.validate(body);
    return null;
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    const rendered = renderDenial(error.denial, 'tid');
    const { code, message, param } = rendered.body.error;
    return { status: rendered.status, code, message, param };
  }
}

const seed = {
  promptMissing: { status: 400, code: 'prompt_missing', message: 'prompt is required', param: null },
  promptTooLong: { status: 400, code: 'prompt_too_long', message: 'prompt is too long', param: null },
  sizeNotSupported: { status: 400, code: 'size_not_supported', message: 'size not supported', param: null },
  nNotWithinRange: { status: 400, code: 'n_not_within_range', message: 'invalid value of n', param: null },
};

describe('imagesEndpoint', () => {
  it('accepts a plain request, with or without a model', () => {
    expect(errorFor({ prompt: 'a cat' })).toBeNull();
    expect(errorFor({ model: 'dall-e-3', prompt: 'a cat', size: '1792x1024', n: 1 })).toBeNull();
  });

  it.each([[{}], [{ prompt: null }], [{ prompt: '' }], [{ model: 'dall-e-3' }]])(
    'refuses %j with the seed row prompt_missing',
    (body) => {
      expect(errorFor(body)).toEqual(seed.promptMissing);
    },
  );

  it('refuses a prompt of another type as an invalid request', () => {
    expect(errorFor({ prompt: 42 })).toMatchObject({ status: 400, code: 'invalid_request', param: 'prompt' });
  });

  it.each([
    ['dall-e-2', 1_000],
    ['dall-e-3', 4_000],
    ['gpt-image-1', 32_000],
    ['some-new-image-model', 4_000],
  ])('lets %s take a prompt of %i characters and no more (prompt_too_long)', (model, max) => {
    expect(errorFor({ model, prompt: 'x'.repeat(max) })).toBeNull();
    expect(errorFor({ model, prompt: 'x'.repeat(max + 1) })).toEqual(seed.promptTooLong);
  });

  it('counts characters, not UTF-16 units, like OpenAI', () => {
    expect(errorFor({ model: 'dall-e-2', prompt: '😀'.repeat(1_000) })).toBeNull();
    expect(errorFor({ model: 'dall-e-2', prompt: '😀'.repeat(1_001) })).toEqual(seed.promptTooLong);
  });

  it.each([
    ['dall-e-2', '256x256', true],
    ['dall-e-2', '512x512', true],
    ['dall-e-2', '1024x1024', true],
    ['dall-e-2', '1792x1024', false],
    ['dall-e-3', '1024x1024', true],
    ['dall-e-3', '1792x1024', true],
    ['dall-e-3', '1024x1792', true],
    ['dall-e-3', '256x256', false],
    ['dall-e-3', '512x512', false],
    ['gpt-image-1', '1536x1024', true],
    ['gpt-image-1', 'auto', true],
    ['gpt-image-1', '256x256', false],
    ['dall-e-2', 'huge', false],
  ])('%s with size %s: accepted=%s (else size_not_supported)', (model, size, accepted) => {
    expect(errorFor({ model, prompt: 'a cat', size })).toEqual(accepted ? null : seed.sizeNotSupported);
  });

  it('compares sizes case-insensitively', () => {
    expect(errorFor({ model: 'dall-e-2', prompt: 'a cat', size: '256X256' })).toBeNull();
  });

  it('refuses a size of another type as an invalid request', () => {
    expect(errorFor({ prompt: 'a cat', size: 1024 })).toMatchObject({ code: 'invalid_request', param: 'size' });
  });

  it.each([
    ['dall-e-2', 1, true],
    ['dall-e-2', 10, true],
    ['dall-e-2', 0, false],
    ['dall-e-2', 11, false],
    ['dall-e-2', -1, false],
    ['dall-e-2', 1.5, false],
    ['dall-e-3', 1, true],
    ['dall-e-3', 2, false],
    ['gpt-image-1', 10, true],
  ])('%s with n=%d: accepted=%s (else n_not_within_range)', (model, n, accepted) => {
    expect(errorFor({ model, prompt: 'a cat', n })).toEqual(accepted ? null : seed.nNotWithinRange);
  });

  it('refuses an n that is not a number as an invalid request', () => {
    expect(errorFor({ prompt: 'a cat', n: '2' })).toMatchObject({ status: 400, code: 'invalid_request', param: 'n' });
  });

  it('checks in the order prompt, prompt length, n, size', () => {
    expect(errorFor({ model: 'dall-e-3', n: 5, size: '1x1' })).toEqual(seed.promptMissing);
    expect(errorFor({ model: 'dall-e-3', prompt: 'x'.repeat(4_001), n: 5, size: '1x1' })).toEqual(seed.promptTooLong);
    expect(errorFor({ model: 'dall-e-3', prompt: 'a cat', n: 5, size: '1x1' })).toEqual(seed.nNotWithinRange);
  });

  it('refuses streaming and a wrong response_format', () => {
    expect(errorFor({ prompt: 'a cat', stream: true })).toMatchObject({ code: 'invalid_request', param: 'stream' });
    expect(errorFor({ prompt: 'a cat', response_format: 'gif' })).toMatchObject({ param: 'response_format' });
  });

  it('checks the types before the seed rows, which depend on the model', () => {
    expect(errorFor({ stream: 'no' })).toMatchObject({ code: 'invalid_request', param: 'stream' });
    expect(errorFor({ prompt: 'x'.repeat(1_001), quality: 1 })).toMatchObject({
      code: 'invalid_request',
      param: 'quality',
    });
    expect(errorFor({ prompt: 'a cat', stream: false, quality: null })).toBeNull();
  });

  it('refuses a model of another type instead of pricing it as the default model', () => {
    // The relay refuses it before validation too; the contract says the same.
    expect(errorFor({ model: 7, prompt: 'a cat' })).toMatchObject({ code: 'invalid_request', param: 'model' });
  });

  it('holds n images at the requested size, or at the model default size', () => {
    const config = {} as never;
    expect(sut.estimate({ model: 'dall-e-3', prompt: 'p', size: '1792x1024' }, config)).toMatchObject({
      images: 1,
      imageSize: '1792x1024',
    });
    expect(sut.estimate({ prompt: 'p', n: 3 }, config)).toMatchObject({ images: 3, imageSize: '1024x1024' });
    expect(sut.estimate({ model: 'gpt-image-1', prompt: 'p' }, config)).toMatchObject({ imageSize: 'auto' });
  });

  it('charges the images actually produced', () => {
    const estimate = { inputTokens: 0, outputTokens: 0, images: 3, imageSize: '1024x1024', characters: 0 };
    expect(sut.usageFromResponse({ data: [{ url: 'a' }, { url: 'b' }] }, {}, estimate).images).toBe(2);
    expect(sut.usageFromResponse(null, {}, estimate).images).toBe(3);
  });
});
