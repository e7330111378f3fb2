import { describe, expect, it } from '@jest/globals';
import { compile } from '../schema/validator.js';
import { DEFAULT_IMAGE_MODEL, ImageGenerationRequest } from './image-generations.schema.js';

const sut = compile(ImageGenerationRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};

describe('ImageGenerationRequest', () => {
  // The examples of OpenAI's API reference for POST /v1/images/generations.
  it.each([
    ['gpt-image-1', { model: 'gpt-image-1', prompt: 'A cute baby sea otter', n: 1, size: '1024x1024' }],
    ['dall-e-3', { model: 'dall-e-3', prompt: 'A cute baby sea otter', n: 1, size: '1024x1024' }],
  ])('accepts the documented example of %s', (_name, body) => {
    expect(problemOf(body)).toBeNull();
  });

  it('names the model OpenAI uses when the body names none', () => {
    expect(ImageGenerationRequest.properties.model.default).toBe(DEFAULT_IMAGE_MODEL);
    expect(problemOf({ prompt: 'a cat' })).toBeNull();
    expect(problemOf({ model: null, prompt: 'a cat' })).toBeNull();
  });

  it('leaves what depends on the model to the seed rows: an absent prompt, a big n, any size string', () => {
    expect(problemOf({})).toBeNull();
    expect(problemOf({ prompt: '', n: 500, size: '1x1' })).toBeNull();
  });

  it('passes every field it does not declare through; takes null for an optional one', () => {
    const body = { prompt: 'a cat', background: 'transparent', output_format: 'webp', quality: null, stream: null };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
    expect(problemOf({ prompt: 'a cat', stream: false, quality: 'hd', style: 'vivid' })).toBeNull();
  });

  it.each([
    [{ prompt: 42 }, 'prompt', 'prompt must be a string'],
    [{ model: 7, prompt: 'a cat' }, 'model', 'model must be a string'],
    [{ model: '', prompt: 'a cat' }, 'model', 'model must not be empty'],
    [{ prompt: 'a cat', n: '2' }, 'n', 'n must be an integer'],
    [{ prompt: 'a cat', n: 1.5 }, 'n', 'n must be an integer'],
    [{ prompt: 'a cat', n: 0 }, 'n', 'n must be at least 1'],
    [{ prompt: 'a cat', size: 1024 }, 'size', 'size must be a string'],
    [
      { prompt: 'a cat', response_format: 'gif' },
      'response_format',
      "response_format must be one of 'url', 'b64_json'",
    ],
    [{ prompt: 'a cat', quality: 1 }, 'quality', 'quality must be a string'],
    [{ prompt: 'a cat', style: [] }, 'style', 'style must be a string'],
    [
      { prompt: 'a cat', stream: true },
      'stream',
      'streaming image generation is not supported by this gateway: stream must be false or absent',
    ],
    [
      { prompt: 'a cat', stream: 'no' },
      'stream',
      'streaming image generation is not supported by this gateway: stream must be false or absent',
    ],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});
