import { describe, expect, it } from '@jest/globals';
import { CHANNEL_TYPES } from '@tollgate/contracts';
import { providerFor, servesEndpoint } from '../../providers.js';
import { MODELS_RESPONSE } from './gemini.fixtures.js';

const target = { baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'AIzaSy-test-key', apiVersion: null };

describe('gemini adapter', () => {
  const gemini = providerFor('gemini');

  it('is a channel type, serving chat completions and embeddings only', () => {
    expect(CHANNEL_TYPES).toContain('gemini');
    expect(gemini.type).toBe('gemini');
    expect(servesEndpoint('gemini', 'chat.completions')).toBe(true);
    expect(servesEndpoint('gemini', 'embeddings')).toBe(true);
    for (const endpoint of ['completions', 'images.generations', 'audio.speech', 'moderations'] as const) {
      expect(servesEndpoint('gemini', endpoint)).toBe(false);
    }
  });

  it('checks a key with the model list and reads the ids without the models/ prefix', () => {
    expect(gemini.keyCheck(target)).toEqual({
      method: 'GET',
      url: 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000',
      headers: { 'x-goog-api-key': 'AIzaSy-test-key', accept: 'application/json' },
    });
    expect(gemini.modelIds(structuredClone(MODELS_RESPONSE))).toEqual(['gemini-2.5-flash', 'gemini-embedding-001']);
    expect(gemini.modelIds({ models: 'none' })).toEqual([]);
  });

  it('tests a channel with a one-token generateContent', () => {
    const call = gemini.testCompletion(target, 'gemini-2.5-flash');
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'x-goog-api-key': 'AIzaSy-test-key' },
    });
    expect(JSON.parse(call.body as string)).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'ping' }] }],
      generationConfig: { maxOutputTokens: 1 },
    });
  });
});
