import { describe, expect, it } from '@jest/globals';
import type { CanonicalRequest } from '../provider-adapter.js';
import { providerFor, servesEndpoint } from '../providers.js';

const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
const request = (overrides: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  endpoint: 'chat.completions',
  target: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-0123456789', apiVersion: null },
  upstreamModel: 'gpt-4o-2024-08-06',
  stream: false,
  body,
  openAiBytes: () => '{"model":"gpt-4o-2024-08-06"}',
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
  ...overrides,
});

describe('openai adapter', () => {
  const openai = providerFor('openai');

  it("serves the Responses API at {base}/responses, and a stored response's reads and deletes by id", () => {
    expect(servesEndpoint('openai', 'responses')).toBe(true);
    expect(servesEndpoint('openai', 'messages')).toBe(false);
    expect(openai.request(request({ endpoint: 'responses' })).url).toBe('https://api.openai.com/v1/responses');
    const target = request().target;
    expect(openai.storedResponse?.(target, 'resp_123', 'GET')).toEqual({
      method: 'GET',
      url: 'https://api.openai.com/v1/responses/resp_123',
      headers: { authorization: 'Bearer sk-test-0123456789', accept: 'application/json' },
    });
    expect(openai.storedResponse?.(target, 'resp_123', 'DELETE').method).toBe('DELETE');
  });

  it('sends an upload with its own multipart content type', () => {
    const call = openai.request(
      request({ endpoint: 'audio.transcriptions', contentType: 'multipart/form-data; boundary=x' }),
    );
    expect(call.url).toBe('https://api.openai.com/v1/audio/transcriptions');
    expect(call.headers['content-type']).toBe('multipart/form-data; boundary=x');
  });

  it('sends the OpenAI bytes as they are to {base}{path} with a bearer key, for every endpoint', () => {
    expect(openai.request(request())).toEqual({
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: {
        authorization: 'Bearer sk-test-0123456789',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream, */*',
      },
      body: '{"model":"gpt-4o-2024-08-06"}',
    });
    expect(openai.request(request({ endpoint: 'audio.speech' })).url).toBe('https://api.openai.com/v1/audio/speech');
    expect(openai.answer(request(), { id: 'x' })).toBeNull();
    expect(openai.streamTranslator(request({ stream: true }))).toBeNull();
  });

  it('retries rate limits, server errors and a dead channel key; passes request errors on', () => {
    const error = { error: { message: 'no', type: 'invalid_request_error', code: 'invalid_api_key' } };
    for (const status of [429, 500, 503, 401, 403]) expect(openai.classify(status, error).retryable).toBe(true);
    for (const status of [400, 404, 422]) expect(openai.classify(status, null).retryable).toBe(false);
    expect(openai.classify(401, error).errorCode).toBe('invalid_api_key');
    expect(openai.classify(400, { error: { message: 'x', type: 'invalid_request_error' } }).errorCode).toBe(
      'invalid_request_error',
    );
  });

  it("keeps an OpenAI error body and wraps anything else in OpenAI's shape", () => {
    const shaped = { error: { message: 'bad', type: 'invalid_request_error', param: 'n', code: null } };
    expect(openai.clientError(400, shaped, Buffer.from(''))).toBe(shaped);
    expect(openai.clientError(404, null, Buffer.from('Not Found'))).toEqual({
      error: { message: 'Not Found', type: 'upstream_error', param: null, code: null },
    });
  });

  it('checks a key with GET /models and reads the ids of the list', () => {
    expect(openai.keyCheck(request().target)).toMatchObject({
      method: 'GET',
      url: 'https://api.openai.com/v1/models',
    });
    expect(openai.modelIds({ object: 'list', data: [{ id: 'gpt-4o' }, { id: 'o3' }, { nope: 1 }] })).toEqual([
      'gpt-4o',
      'o3',
    ]);
  });
});

describe('azure adapter', () => {
  const azure = providerFor('azure');
  const target = { baseUrl: 'https://contoso.openai.azure.com', apiKey: 'azure-key-0123456789', apiVersion: null };

  it('serves the Responses API at its v1 path, the deployment named in the body, and stored responses there', () => {
    const call = azure.request(request({ endpoint: 'responses', target, upstreamModel: 'my-gpt4o' }));
    expect(call.url).toBe('https://contoso.openai.azure.com/openai/v1/responses');
    expect(call.headers['api-key']).toBe('azure-key-0123456789');
    expect(azure.storedResponse?.(target, 'resp_9', 'GET').url).toBe(
      'https://contoso.openai.azure.com/openai/v1/responses/resp_9',
    );
    expect(
      azure.request(
        request({
          endpoint: 'images.edits',
          target,
          upstreamModel: 'dalle',
          contentType: 'multipart/form-data; boundary=b',
        }),
      ).url,
    ).toBe('https://contoso.openai.azure.com/openai/deployments/dalle/images/edits?api-version=2024-10-21');
  });

  it('addresses the deployment named by the channel with the api-key header and the default api-version (2024-10-21, the latest GA one)', () => {
    const call = azure.request(request({ target, upstreamModel: 'gpt-4o prod' }));
    expect(call.url).toBe(
      `https://contoso.openai.azure.com/openai/deployments/gpt-4o%20prod/chat/completions?api-version=2024-10-21`,
    );
    expect(call.headers).toMatchObject({ 'api-key': 'azure-key-0123456789' });
    expect(call.headers).not.toHaveProperty('authorization');
    expect(call.body).toBe('{"model":"gpt-4o-2024-08-06"}');
  });

  it("uses the channel's api-version, for the request, the key check and the test call", () => {
    const versioned = { ...target, apiVersion: '2025-04-01-preview' };
    expect(azure.request(request({ target: versioned, endpoint: 'embeddings' })).url).toBe(
      'https://contoso.openai.azure.com/openai/deployments/gpt-4o-2024-08-06/embeddings?api-version=2025-04-01-preview',
    );
    expect(azure.keyCheck(versioned).url).toBe(
      'https://contoso.openai.azure.com/openai/models?api-version=2025-04-01-preview',
    );
    expect(azure.testCompletion(versioned, 'dep-1').url).toBe(
      'https://contoso.openai.azure.com/openai/deployments/dep-1/chat/completions?api-version=2025-04-01-preview',
    );
  });

  it('serves every OpenAI endpoint but moderations, which Azure does not have', () => {
    expect(servesEndpoint('azure', 'chat.completions')).toBe(true);
    expect(servesEndpoint('azure', 'audio.speech')).toBe(true);
    expect(servesEndpoint('azure', 'moderations')).toBe(false);
    expect(servesEndpoint('openai', 'moderations')).toBe(true);
  });
});
