import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { geminiAdapter } from './gemini.adapter.js';
import { BATCH_EMBED_RESPONSE } from './gemini.fixtures.js';

const request = (body: JsonObject): CanonicalRequest => ({
  endpoint: 'embeddings',
  target: { baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'AIzaSy-test-key', apiVersion: null },
  upstreamModel: 'gemini-embedding-001',
  stream: false,
  body: { model: 'embed', ...body },
  openAiBytes: () => '',
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
});

describe('gemini embeddings', () => {
  it('sends every input as one request of a batchEmbedContents call, dimensions as outputDimensionality', () => {
    const call = geminiAdapter.request(
      request({ input: ['What is the meaning of life?', 'How does the brain work?'], dimensions: 768, user: 'u-1' }),
    );
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
      headers: { 'x-goog-api-key': 'AIzaSy-test-key' },
    });
    expect(JSON.parse(call.body as string)).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'What is the meaning of life?' }] },
          outputDimensionality: 768,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'How does the brain work?' }] },
          outputDimensionality: 768,
        },
      ],
    });
    expect(JSON.parse(geminiAdapter.request(request({ input: 'one' })).body as string)).toEqual({
      requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'one' }] } }],
    });
  });

  it('refuses token ids and parameters Gemini has no counterpart for', () => {
    const refused = (body: JsonObject) => {
      try {
        geminiAdapter.request(request(body));
      } catch (error) {
        if (error instanceof DenialException) return error.denial.params?.param;
        throw error;
      }
      return null;
    };
    expect(refused({ input: [1, 2, 3] })).toBe('input');
    expect(refused({ input: [[1, 2]] })).toBe('input');
    expect(refused({ input: 'x', truncate: 'END' })).toBe('truncate');
    expect(refused({ input: 'x', encoding_format: 'base64', dimensions: null })).toBeNull();
  });

  it("answers in OpenAI's list form, in input order, without usage (the edge counts the input)", () => {
    const answer = geminiAdapter.answer(request({ input: ['a', 'b', 'c'] }), structuredClone(BATCH_EMBED_RESPONSE));
    expect(answer).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [-0.0223, 0.0087, 0.0139, -0.0712] },
        { object: 'embedding', index: 1, embedding: [0.0154, -0.0302, 0.0411, 0.0025] },
        { object: 'embedding', index: 2, embedding: [0.5, -0.25, 0.125, 1] },
      ],
      model: 'gemini-embedding-001',
    });
  });

  it('encodes the vectors as little-endian float32 in base64 when asked, as OpenAI SDKs decode them', () => {
    const answer = geminiAdapter.answer(
      request({ input: ['a', 'b', 'c'], encoding_format: 'base64' }),
      structuredClone(BATCH_EMBED_RESPONSE),
    );
    const encoded = (answer?.data as JsonObject[])[2].embedding as string;
    const bytes = Buffer.from(encoded, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual([0.5, -0.25, 0.125, 1]);
  });
});
