import { describe, expect, it } from '@jest/globals';
import { parseCapabilityOverrides } from './capability-overrides.js';
import { ModelCapabilities } from './model-capabilities.js';

describe(ModelCapabilities.name, () => {
  const sut = new ModelCapabilities();

  it('knows the published limits of the OpenAI image models', () => {
    expect(sut.image('dall-e-2')).toEqual({
      promptMaxChars: 1_000,
      sizes: ['256x256', '512x512', '1024x1024'],
      defaultSize: '1024x1024',
      nMin: 1,
      nMax: 10,
    });
    expect(sut.image('dall-e-3')).toEqual({
      promptMaxChars: 4_000,
      sizes: ['1024x1024', '1792x1024', '1024x1792'],
      defaultSize: '1024x1024',
      nMin: 1,
      nMax: 1,
    });
    expect(sut.image('gpt-image-1')).toMatchObject({ promptMaxChars: 32_000, defaultSize: 'auto', nMax: 10 });
  });

  it('gives an unknown image model the documented lenient default', () => {
    expect(sut.image('acme-painter')).toEqual({
      promptMaxChars: 4_000,
      sizes: ['256x256', '512x512', '1024x1024', '1536x1024', '1024x1536', '1792x1024', '1024x1792', 'auto'],
      defaultSize: '1024x1024',
      nMin: 1,
      nMax: 10,
    });
  });

  it('limits speech input to 4,096 characters by default', () => {
    expect(sut.speech('tts-1').inputMaxChars).toBe(4_096);
    expect(sut.speech('acme-voice').inputMaxChars).toBe(4_096);
  });

  it('applies overrides field by field over the built-in entry', () => {
    const changed = new ModelCapabilities({
      images: { 'dall-e-3': { nMax: 2 }, 'acme-painter': { sizes: ['640x480'] }, '*': { promptMaxChars: 9 } },
      speech: { 'tts-1': { inputMaxChars: 100 }, '*': { inputMaxChars: 50 } },
    });
    expect(changed.image('dall-e-3')).toMatchObject({ nMin: 1, nMax: 2, promptMaxChars: 4_000 });
    // A new model starts from the (changed) default; its default size follows its sizes.
    expect(changed.image('acme-painter')).toMatchObject({
      sizes: ['640x480'],
      defaultSize: '640x480',
      promptMaxChars: 9,
    });
    expect(changed.image('other')).toMatchObject({ promptMaxChars: 9 });
    expect(changed.image('dall-e-2').promptMaxChars).toBe(1_000);
    expect(changed.speech('tts-1').inputMaxChars).toBe(100);
    expect(changed.speech('tts-1-hd').inputMaxChars).toBe(4_096);
    expect(changed.speech('acme-voice').inputMaxChars).toBe(50);
  });

  it('refuses overrides that leave an entry inconsistent', () => {
    expect(() => new ModelCapabilities({ images: { 'dall-e-2': { nMin: 5, nMax: 2 } }, speech: {} })).toThrow(
      'n_min (5) is greater than n_max (2)',
    );
    expect(() => new ModelCapabilities({ images: { 'dall-e-2': { defaultSize: '1792x1024' } }, speech: {} })).toThrow(
      'default_size "1792x1024" is not one of its sizes',
    );
  });
});

describe(parseCapabilityOverrides.name, () => {
  it('reads the documented JSON shape (snake_case, sizes lower-cased)', () => {
    expect(
      parseCapabilityOverrides(
        JSON.stringify({
          images: {
            'dall-e-3': {
              n_max: 2,
              sizes: ['1024X1024', 'auto'],
              default_size: 'auto',
              prompt_max_chars: 100,
              n_min: 1,
            },
          },
          speech: { '*': { input_max_chars: 8192 } },
        }),
      ),
    ).toEqual({
      images: {
        'dall-e-3': { nMax: 2, nMin: 1, sizes: ['1024x1024', 'auto'], defaultSize: 'auto', promptMaxChars: 100 },
      },
      speech: { '*': { inputMaxChars: 8192 } },
    });
  });

  it('treats an empty setting and missing sections as no change', () => {
    expect(parseCapabilityOverrides('')).toEqual({ images: {}, speech: {} });
    expect(parseCapabilityOverrides('{"speech":{}}')).toEqual({ images: {}, speech: {} });
  });

  it.each([
    ['not json', 'is not valid JSON'],
    ['[]', 'must be a JSON object'],
    ['{"image":{}}', 'unknown field "image"'],
    ['{"images":[]}', 'images must be an object keyed by model'],
    ['{"images":{"m":{"nmax":2}}}', 'images.m: unknown field "nmax"'],
    ['{"images":{"m":{"n_max":0}}}', 'images.m.n_max must be a positive integer'],
    ['{"images":{"m":{"n_max":"2"}}}', 'images.m.n_max must be a positive integer'],
    ['{"images":{"m":{"sizes":[]}}}', 'images.m.sizes must be a non-empty array'],
    ['{"images":{"m":{"sizes":["big"]}}}', 'images.m.sizes[0] must be a size'],
    ['{"images":{"m":{"default_size":7}}}', 'images.m.default_size must be a size'],
    ['{"images":{"":{}}}', 'a model name must not be empty'],
    ['{"speech":{"tts-1":{"input_max_chars":1.5}}}', 'speech.tts-1.input_max_chars must be a positive integer'],
    ['{"speech":{"tts-1":3}}', 'speech.tts-1 must be an object'],
  ])('refuses %s, naming the place (%s)', (text, message) => {
    expect(() => parseCapabilityOverrides(text)).toThrow(message);
  });
});
