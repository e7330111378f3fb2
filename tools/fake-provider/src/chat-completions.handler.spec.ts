import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { field, sseEvents } from './testing/http-helpers.js';

const BODY = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there, fake!' }] }; // 18 chars → 5
const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
];

describe('fake provider: OpenAI chat completions with tools and detailed usage', () => {
  let fake: FakeProvider;

  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream', ...headers },
      body: JSON.stringify(body),
    });
  const json = async (body: unknown, headers?: Record<string, string>): Promise<unknown> =>
    (await post(body, headers)).json();

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('calls the first function tool with finish_reason tool_calls', async () => {
    expect(field(await json({ ...BODY, tools: TOOLS }), 'choices', 0)).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: expect.stringMatching(/^call_fake_\d+$/),
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"fake"}' },
          },
        ],
        refusal: null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
  });

  it('follows tool_choice, and answers text after a tool result or when told to ignore tools', async () => {
    const named = await json({
      ...BODY,
      tools: TOOLS,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    expect(field(named, 'choices', 0, 'message', 'tool_calls', 0, 'function')).toEqual({
      name: 'get_time',
      arguments: '{}',
    });

    const text = (body: unknown): unknown => field(body, 'choices', 0, 'message', 'content');
    expect(text(await json({ ...BODY, tools: TOOLS, tool_choice: 'none' }))).toBe('This is a fake answer.');
    const afterResult = {
      ...BODY,
      tools: TOOLS,
      messages: [
        ...BODY.messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    };
    expect(text(await json(afterResult))).toBe('This is a fake answer.');
    expect(text(await json({ ...BODY, tools: TOOLS }, { 'x-fake-ignore-tools': '1' }))).toBe('This is a fake answer.');
  });

  it('streams a tool call: the named opening delta, then the arguments in several pieces', async () => {
    const events = sseEvents(
      await (await post({ ...BODY, tools: TOOLS, stream: true, stream_options: { include_usage: true } })).text(),
    );
    expect(events.at(-1)).toBe('[DONE]');
    expect(field(events[0], 'choices', 0, 'delta')).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          index: 0,
          id: expect.stringMatching(/^call_fake_/),
          type: 'function',
          function: { name: 'get_weather', arguments: '' },
        },
      ],
      refusal: null,
    });
    const pieces = events
      .slice(1, -3)
      .map((event) => field(event, 'choices', 0, 'delta', 'tool_calls', 0, 'function', 'arguments'));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('{"city":"fake"}');
    expect(field(events.at(-3), 'choices', 0)).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(field(events.at(-2), 'usage', 'completion_tokens')).toBe(pieces.length);
  });

  it('reports cached and reasoning tokens in the detail blocks, inside the totals', async () => {
    const usage = field(
      await json(BODY, {
        'x-fake-cached-tokens': '3',
        'x-fake-reasoning-tokens': '10',
        'x-fake-cache-write-tokens': '1',
      }),
      'usage',
    );
    expect(usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 15, // 5 words + 10 reasoning
      total_tokens: 20,
      prompt_tokens_details: { cached_tokens: 3, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 10,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    // The prompt never reports fewer tokens than the cache traffic it contains.
    expect(field(await json(BODY, { 'x-fake-cached-tokens': '50' }), 'usage', 'prompt_tokens')).toBe(50);
    // A forced completion total includes the reasoning.
    const forced = field(
      await json(BODY, { 'x-fake-completion-tokens': '12', 'x-fake-reasoning-tokens': '10' }),
      'usage',
    );
    expect(forced).toMatchObject({ completion_tokens: 12, completion_tokens_details: { reasoning_tokens: 10 } });
  });

  it('scales the prompt count by inputTokenFactor, set per request or per model', async () => {
    expect(field(await json(BODY, { 'x-fake-input-token-factor': '1.4' }), 'usage', 'prompt_tokens')).toBe(7); // ceil(5 × 1.4)
    fake.setDefaults({ byModel: { 'big-tokenizer': { inputTokenFactor: 3 } } });
    expect(field(await json({ ...BODY, model: 'big-tokenizer' }), 'usage', 'prompt_tokens')).toBe(15);
    const embeddings = await fetch(`${fake.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'x-fake-input-token-factor': '2' },
      body: JSON.stringify({ model: 'e', input: 'abcdefgh' }),
    });
    expect(field(await embeddings.json(), 'usage')).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('ends a stream with an in-band error and no [DONE]', async () => {
    const events = sseEvents(
      await (
        await post(
          { ...BODY, stream: true },
          { 'x-fake-stream-error-after-chunks': '1', 'x-fake-error-code': 'overloaded' },
        )
      ).text(),
    );
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: 'overloaded' },
    });
  });

  it('records the bearer key; with apiKeys it checks it in OpenAI wording', async () => {
    await post(BODY);
    expect(fake.requests.at(-1)).toMatchObject({
      dialect: 'openai',
      auth: { in: 'header', name: 'authorization', value: 'Bearer sk-upstream', key: 'sk-upstream' },
    });

    const strict = await startFakeProvider({ apiKeys: ['sk-upstream'] });
    try {
      const send = (headers: Record<string, string>): Promise<Response> =>
        fetch(`${strict.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(BODY) });
      const missing = await send({});
      expect(missing.status).toBe(401);
      expect(field(await missing.json(), 'error', 'message')).toContain("You didn't provide an API key");
      const wrong = await send({ authorization: 'Bearer sk-wrong-key-1234' });
      expect(wrong.status).toBe(401);
      expect(field(await wrong.json(), 'error')).toEqual({
        message: 'Incorrect API key provided: sk-**********1234.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      });
      expect((await send({ authorization: 'Bearer sk-upstream' })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
