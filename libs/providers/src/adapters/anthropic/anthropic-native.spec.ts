import { describe, expect, it } from '@jest/globals';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { providerFor } from '../../providers.js';
import { ANTHROPIC_VERSION } from './anthropic.adapter.js';

const anthropic = providerFor('anthropic');
const CLIENT_BYTES = '{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}';

const native = (overrides: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  endpoint: 'messages',
  target: { baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-channel', apiVersion: null },
  upstreamModel: 'claude-sonnet-4-5',
  stream: false,
  body: JSON.parse(CLIENT_BYTES) as CanonicalRequest['body'],
  openAiBytes: () => CLIENT_BYTES,
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
  ...overrides,
});

describe('anthropic adapter, native Messages requests', () => {
  it("sends the client's bytes under its own anthropic-version and beta features, with the channel's key", () => {
    const call = anthropic.request(
      native({ nativeHeaders: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31' } }),
    );
    expect(call).toEqual({
      method: 'POST',
      url: 'https://api.anthropic.com/v1/messages',
      headers: {
        'x-api-key': 'sk-ant-channel',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'prompt-caching-2024-07-31',
        'content-type': 'application/json',
        accept: expect.stringContaining('text/event-stream'),
      },
      body: CLIENT_BYTES,
    });
  });

  it('names the version it speaks when the client sent none, and sends count_tokens to its own path', () => {
    const call = anthropic.request(native({ endpoint: 'messages.count_tokens' }));
    expect(call.url).toBe('https://api.anthropic.com/v1/messages/count_tokens');
    expect(call.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(call.headers).not.toHaveProperty('anthropic-beta');
  });

  it('passes a native answer and stream on untranslated', () => {
    expect(anthropic.answer(native(), { type: 'message', content: [] })).toBeNull();
    expect(anthropic.streamTranslator(native({ stream: true }))).toBeNull();
    expect(anthropic.answer(native({ endpoint: 'chat.completions' }), { type: 'message', content: [] })).not.toBeNull();
  });
});
