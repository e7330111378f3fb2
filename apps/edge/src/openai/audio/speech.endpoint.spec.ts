import { describe, expect, it } from '@jest/globals';
import { DenialException, renderDenial } from '@tollgate/errors';
import { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { JsonObject } from '../endpoint.js';
import { speechEndpoint } from './speech.endpoint.js';

const sut = speechEndpoint(new ModelCapabilities({ images: {}, speech: { 'long-tts': { inputMaxChars: 10_000 } } }));

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

const textTooLong = { status: 400, code: 'text_too_long', message: 'input is too long', param: null };
const speech = (input: unknown, extra: JsonObject = {}): JsonObject => ({
  model: 'tts-1',
  voice: 'alloy',
  input,
  ...extra,
});

describe('speechEndpoint', () => {
  it('accepts up to 4,096 characters and refuses one more with the documented row text_too_long', () => {
    expect(errorFor(speech('x'.repeat(4_096)))).toBeNull();
    expect(errorFor(speech('x'.repeat(4_097)))).toEqual(textTooLong);
    expect(errorFor(speech('x'.repeat(4_097), { model: 'tts-1-hd' }))).toEqual(textTooLong);
    expect(errorFor(speech('x'.repeat(4_097), { model: 'unknown-tts' }))).toEqual(textTooLong);
  });

  it('uses the limit the capability table gives a model', () => {
    expect(errorFor(speech('x'.repeat(10_000), { model: 'long-tts' }))).toBeNull();
    expect(errorFor(speech('x'.repeat(10_001), { model: 'long-tts' }))).toEqual(textTooLong);
  });

  it('requires a string input and a voice', () => {
    expect(errorFor(speech(undefined))).toMatchObject({
      code: 'invalid_request',
      param: 'input',
      message: 'Invalid request: input is required',
    });
    expect(errorFor(speech(12))).toMatchObject({ code: 'invalid_request', param: 'input' });
    expect(errorFor(speech(''))).toMatchObject({ code: 'invalid_request', param: 'input' });
    expect(errorFor({ model: 'tts-1', input: 'hi' })).toMatchObject({ code: 'invalid_request', param: 'voice' });
  });

  it('checks response_format and speed', () => {
    expect(errorFor(speech('hi', { response_format: 'ogg' }))).toMatchObject({ param: 'response_format' });
    expect(errorFor(speech('hi', { speed: 5 }))).toMatchObject({ param: 'speed' });
    expect(errorFor(speech('hi', { speed: 1.5, response_format: 'wav' }))).toBeNull();
    expect(errorFor(speech('hi', { speed: 0.2 }))).toMatchObject({ param: 'speed' });
    expect(errorFor(speech('hi', { speed: '1' }))).toMatchObject({ param: 'speed' });
  });

  it('takes a voice name or a custom voice object, and nothing else', () => {
    expect(errorFor(speech('hi', { voice: { id: 'voice_1234' } }))).toBeNull();
    expect(errorFor(speech('hi', { voice: ['alloy'] }))).toMatchObject({ code: 'invalid_request', param: 'voice' });
  });

  it('checks the types before the length, which depends on the model', () => {
    expect(errorFor(speech('x'.repeat(4_097), { voice: 3 }))).toMatchObject({ param: 'voice' });
    // Refused by the relay before validation too; the contract says the same.
    expect(errorFor(speech('hi', { model: 7 }))).toMatchObject({ code: 'invalid_request', param: 'model' });
  });

  it('holds and charges the characters of the input', () => {
    const estimate = sut.estimate(speech('héllo 😀'), {} as never);
    expect(estimate.characters).toBe(7);
    expect(sut.usageFromResponse(null, speech('héllo 😀'), estimate)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      images: 0,
      characters: 7,
      audioSeconds: 0,
    });
  });
});
