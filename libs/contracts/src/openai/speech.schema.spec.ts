import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '../schema/fields.js';
import { compile } from '../schema/validator.js';
import { SpeechRequest } from './speech.schema.js';

const sut = compile(SpeechRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};
const speech = { model: 'tts-1', voice: 'alloy', input: 'hi' };

describe('SpeechRequest', () => {
  it("accepts the example of OpenAI's API reference", () => {
    const body = {
      model: 'gpt-4o-mini-tts',
      input: 'The quick brown fox jumped over the lazy dog.',
      voice: 'alloy',
      instructions: 'Speak in a cheerful and positive tone.',
    };
    expect(problemOf(body)).toBeNull();
  });

  it('accepts a custom voice object, every format and the documented speeds', () => {
    expect(problemOf({ ...speech, voice: { id: 'voice_1234' } })).toBeNull();
    for (const response_format of ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']) {
      expect(problemOf({ ...speech, response_format })).toBeNull();
    }
    expect(problemOf({ ...speech, speed: LIMITS.speechSpeedMin })).toBeNull();
    expect(problemOf({ ...speech, speed: LIMITS.speechSpeedMax })).toBeNull();
  });

  it('passes every field it does not declare through; takes null for an optional one', () => {
    const body = { ...speech, stream_format: 'sse', speed: null, response_format: null, instructions: null };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [{ model: 'tts-1', voice: 'alloy' }, 'input', 'input is required'],
    [{ ...speech, input: 12 }, 'input', 'input must be a string'],
    [{ ...speech, input: '' }, 'input', 'input must not be empty'],
    [{ model: 'tts-1', input: 'hi' }, 'voice', 'voice is required'],
    [{ ...speech, voice: 3 }, 'voice', 'voice must be a string or an object'],
    [{ voice: 'alloy', input: 'hi' }, 'model', 'model is required'],
    [
      { ...speech, response_format: 'ogg' },
      'response_format',
      "response_format must be one of 'mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'",
    ],
    [{ ...speech, speed: 5 }, 'speed', `speed must be at most ${LIMITS.speechSpeedMax}`],
    [{ ...speech, speed: 0.1 }, 'speed', `speed must be at least ${LIMITS.speechSpeedMin}`],
    [{ ...speech, speed: 'fast' }, 'speed', 'speed must be a number'],
    [{ ...speech, instructions: 1 }, 'instructions', 'instructions must be a string'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});
