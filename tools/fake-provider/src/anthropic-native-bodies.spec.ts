import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FAKE_THINKING, FAKE_THINKING_SIGNATURE } from './anthropic-thinking.js';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { field, namedSseEvents } from './testing/http-helpers.js';

/**
 * What a gateway passing a client's own Messages requests through needs of the fake: the bodies Claude Code
 * and the SDKs send (system blocks with cache_control, images, tool_use / tool_result history, thinking)
 * answered, thinking answered as Anthropic does, count_tokens deterministic, and the client's
 * `anthropic-version` and `anthropic-beta` headers in the request log.
 */

const HEADERS = {
  'content-type': 'application/json',
  'x-api-key': 'sk-ant-upstream',
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14',
};

/** A Claude Code-like turn: cached system blocks, a tool round trip with an image result, thinking history. */
const CLIENT_BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 32000,
  system: [
    { type: 'text', text: 'You are Claude Code.' }, // 20 characters
    { type: 'text', text: 'Use the tools.', cache_control: { type: 'ephemeral' } }, // 14 characters
  ],
  tools: [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: {} } }],
  messages: [
    { role: 'user', content: 'Show me the logo' }, // 16 characters
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should read it.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' },
        { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { file_path: 'logo.png' } },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01',
          content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }],
        },
        { type: 'text', text: 'Describe it.' }, // 12 characters
      ],
    },
  ],
};

describe('fake provider: native Messages bodies', () => {
  let fake: FakeProvider;
  const post = (body: unknown, path = '/v1/messages'): Promise<Response> =>
    fetch(`${fake.url}${path}`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it("answers a client's own turn, counting its system and text blocks, and logs its version and beta headers", async () => {
    const response = await post(CLIENT_BODY);
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toMatchObject({ type: 'message', content: [{ type: 'text' }], stop_reason: 'end_turn' });
    // Text blocks count (thinking, tool and image blocks do not, see fake-usage.ts): ceil((20 + 14 + 16 + 12) / 4).
    expect(field(answer, 'usage', 'input_tokens')).toBe(16);
    const logged = fake.requests.at(-1);
    expect(logged?.headers['anthropic-version']).toBe('2023-06-01');
    expect(logged?.headers['anthropic-beta']).toBe(HEADERS['anthropic-beta']);
    expect(logged?.body).toEqual(CLIENT_BODY);
  });

  it('answers a request that enables thinking with a signed thinking block before the text, billed as output', async () => {
    const plain = await (await post({ ...CLIENT_BODY, stream: false })).json();
    const thinking = await (await post({ ...CLIENT_BODY, thinking: { type: 'enabled', budget_tokens: 10000 } })).json();
    expect(field(thinking, 'content')).toEqual([
      { type: 'thinking', thinking: FAKE_THINKING, signature: FAKE_THINKING_SIGNATURE },
      field(plain, 'content', 0),
    ]);
    const thinkingWords = FAKE_THINKING.split(' ').length;
    expect(field(thinking, 'usage', 'output_tokens')).toBe(
      Number(field(plain, 'usage', 'output_tokens')) + thinkingWords,
    );
    const adaptive = await (await post({ ...CLIENT_BODY, thinking: { type: 'adaptive' } })).json();
    expect(field(adaptive, 'content', 0, 'type')).toBe('thinking');
    const disabled = await (await post({ ...CLIENT_BODY, thinking: { type: 'disabled' } })).json();
    expect(field(disabled, 'content', 0, 'type')).toBe('text');
  });

  it('streams the thinking as its own block of thinking_delta pieces and a signature_delta, the answer after it', async () => {
    const body = { ...CLIENT_BODY, thinking: { type: 'enabled', budget_tokens: 10000 }, stream: true };
    const stream = namedSseEvents(await (await post(body)).text());
    for (const { event, data } of stream) expect(field(data, 'type')).toBe(event);
    const thinking = stream.filter((e) => field(e.data, 'index') === 0);
    expect(thinking[0].data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '' },
    });
    const deltas = thinking.filter((e) => e.event === 'content_block_delta').map((e) => field(e.data, 'delta'));
    expect(
      deltas
        .slice(0, -1)
        .map((d) => field(d, 'thinking'))
        .join(''),
    ).toBe(FAKE_THINKING);
    expect(deltas.at(-1)).toEqual({ type: 'signature_delta', signature: FAKE_THINKING_SIGNATURE });
    expect(thinking.at(-1)?.event).toBe('content_block_stop');
    const answer = stream.filter((e) => field(e.data, 'index') === 1);
    expect(answer[0].data).toMatchObject({ type: 'content_block_start', content_block: { type: 'text' } });
    expect(answer.at(-1)?.event).toBe('content_block_stop');
    expect(stream.at(-1)?.event).toBe('message_stop');
  });

  it.each([
    [
      { type: 'enabled', budget_tokens: 512 },
      'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
    ],
    [{ type: 'enabled', budget_tokens: 40000 }, '`max_tokens` must be greater than `thinking.budget_tokens`'],
    [{ type: 'enabled' }, 'thinking.enabled.budget_tokens: Input should be a valid integer'],
  ])('refuses thinking %j as Anthropic does', async (thinking, message) => {
    const response = await post({ ...CLIENT_BODY, thinking });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message } });
  });

  it('counts the same tokens for the same body every time, matching the usage of the answer', async () => {
    const first = await (await post(CLIENT_BODY, '/v1/messages/count_tokens')).json();
    const second = await (await post(CLIENT_BODY, '/v1/messages/count_tokens')).json();
    expect(first).toEqual(second);
    const answer = await (await post(CLIENT_BODY)).json();
    expect(field(first, 'input_tokens')).toBe(field(answer, 'usage', 'input_tokens'));
    expect(fake.requests.map((r) => r.headers['anthropic-beta'])).toEqual([
      HEADERS['anthropic-beta'],
      HEADERS['anthropic-beta'],
      HEADERS['anthropic-beta'],
    ]);
  });
});
