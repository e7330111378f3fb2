import { describe, expect, it } from '@jest/globals';
import type OpenAI from 'openai';
import { fakeEmbedding, fakeUsage, type RecordedRequest } from '../tools/fake-provider/src/index.js';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { apiError, openaiClient, tokenCost } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;
const GEMINI_KEY = 'AIzaSyE2E-gemini-upstream-0000';
const ANSWER = 'This is a fake answer.';

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The current weather in a city',
    strict: true,
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city name' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

describe('gemini channels: the OpenAI SDK against the edge, Gemini behind it', () => {
  const suite = useSuite();
  const messages = [{ role: 'user' as const, content: 'Hello there, fake provider' }];

  /** A model of its own per test (channel and price), served by a gemini channel mapped to `upstream`. */
  async function geminiModel(name: string, upstream = `${name}-up`, channel: Record<string, unknown> = {}) {
    await createChannel(suite, {
      type: 'gemini',
      base_url: suite.fake.url,
      api_key: GEMINI_KEY,
      models: [name],
      model_mapping: { [name]: upstream },
      ...channel,
    });
    await setPrice(suite, name, '1', '2');
    return name;
  }

  const since = (from: number): RecordedRequest[] =>
    suite.fake.requests.filter((request) => request.receivedAt >= from && !request.path.startsWith('/__'));

  it("answers a chat completion as JSON, sent in Gemini's dialect with its key header, and charges the usage", async () => {
    const name = await geminiModel('e2e-gemini-json', 'gemini-2.5-flash');
    const customer = await createCustomer(suite, { balance: '5' });
    const from = Date.now();
    const { data, response } = await openaiClient(suite, customer.key)
      .chat.completions.create({
        model: name,
        messages: [{ role: 'system', content: 'Be brief.' }, ...messages],
        temperature: 0.2,
        max_completion_tokens: 50,
      })
      .withResponse();

    expect(response.status).toBe(200);
    expect(response.headers.get('x-tid')).toMatch(TID);
    expect(data).toMatchObject({ object: 'chat.completion', model: name });
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: ANSWER, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(data.usage).toMatchObject(fakeUsage({ messages: [{ role: 'system', content: 'Be brief.' }, ...messages] }));

    const [upstream] = since(from);
    expect(upstream).toMatchObject({
      method: 'POST',
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      dialect: 'gemini',
      auth: { in: 'header', name: 'x-goog-api-key', key: GEMINI_KEY },
      body: {
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        contents: [{ role: 'user', parts: [{ text: messages[0].content }] }],
        generationConfig: { temperature: 0.2, maxOutputTokens: 50 },
      },
    });
    expect(upstream.headers).not.toHaveProperty('authorization');
    expect(await settledCharge(suite, customer)).toBe(tokenCost(data.usage!));
  });

  it('streams a chat completion with the usage chunk the client asked for, and charges it', async () => {
    const name = await geminiModel('e2e-gemini-stream');
    const customer = await createCustomer(suite, { balance: '5' });
    const from = Date.now();
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(ANSWER);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.every((chunk) => chunk.model === name && chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject(fakeUsage({ messages }));

    expect(since(from)[0]).toMatchObject({
      path: `/v1beta/models/${name}-up:streamGenerateContent`,
      query: { alt: 'sse' },
      dialect: 'gemini',
    });
    expect(await settledCharge(suite, customer)).toBe(tokenCost(fakeUsage({ messages })));
  });

  it('streams without a usage chunk when the client did not ask, and still charges the usage', async () => {
    const name = await geminiModel('e2e-gemini-stream-quiet');
    const customer = await createCustomer(suite, { balance: '5' });
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages,
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length > 0 && !chunk.usage)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(await settledCharge(suite, customer)).toBe(tokenCost(fakeUsage({ messages })));
  });

  it('makes a tool call round trip: the call, the tool result as a functionResponse, then text', async () => {
    const name = await geminiModel('e2e-gemini-tools');
    const customer = await createCustomer(suite, { balance: '5' });
    const client = openaiClient(suite, customer.key);
    const question = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
    const from = Date.now();

    const first = await client.chat.completions.create({ model: name, messages: question, tools: [weatherTool] });
    const choice = first.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls?.[0];
    expect(call).toMatchObject({
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"fake"}' },
    });

    const second = await client.chat.completions.create({
      model: name,
      tools: [weatherTool],
      messages: [...question, choice.message, { role: 'tool', tool_call_id: call!.id, content: '{"celsius":21}' }],
    });
    expect(second.choices[0]).toMatchObject({ message: { content: ANSWER }, finish_reason: 'stop' });

    const [offer, result] = since(from);
    expect(offer?.body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'The current weather in a city',
              parameters: {
                type: 'OBJECT',
                properties: { city: { type: 'STRING', description: 'The city name' } },
                required: ['city'],
              },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    expect(JSON.stringify(offer?.body)).not.toContain('additionalProperties');
    expect((result?.body as { contents: unknown }).contents).toEqual([
      { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'fake' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { celsius: 21 } } }] },
    ]);
  });

  it('streams a tool call as one delta carrying the whole arguments', async () => {
    const name = await geminiModel('e2e-gemini-tools-stream');
    const customer = await createCustomer(suite, { balance: '5' });
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream: true,
    });
    const calls: OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls).toEqual([
      {
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"fake"}' },
      },
    ]);
    expect(finish).toBe('tool_calls');
  });

  it("passes an upstream error on in OpenAI's shape, the Gemini status as its type and code, with the tid", async () => {
    const name = await geminiModel('e2e-gemini-refused');
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.enqueue([{ status: 400 }]);
    const error = await apiError(() =>
      openaiClient(suite, customer.key).chat.completions.create({ model: name, messages }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message: 'Request contains an invalid argument.',
      type: 'INVALID_ARGUMENT',
      param: null,
      code: 'INVALID_ARGUMENT',
      tid: expect.stringMatching(TID),
    });
    expect((error.error as { tid: string }).tid).toBe(error.headers?.get('x-tid'));
    expect(await settledCharge(suite, customer)).toBeNull();
  });

  it('retries a Gemini 429 RESOURCE_EXHAUSTED on an openai channel of the model; the client is none the wiser', async () => {
    const name = await geminiModel('e2e-gemini-retry', 'gemini-limited-up', { priority: 10 });
    await createChannel(suite, { models: [name], priority: 0 });
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.setDefaults({ byModel: { 'gemini-limited-up': { status: 429, retryAfter: 30 } } });
    const from = Date.now();
    try {
      const data = await openaiClient(suite, customer.key).chat.completions.create({ model: name, messages });
      expect(data.model).toBe(name);
      expect(data.choices[0]?.message.content).toBe(ANSWER);
      expect(since(from).map((request) => [request.dialect, request.path])).toEqual([
        ['gemini', '/v1beta/models/gemini-limited-up:generateContent'],
        ['openai', '/v1/chat/completions'],
      ]);
      expect(await settledCharge(suite, customer)).toBe(tokenCost(data.usage!));
    } finally {
      suite.fake.setDefaults({ byModel: { 'gemini-limited-up': null } });
    }
  });

  it("cools a channel down for the delay Gemini's RetryInfo asks for, and tells the client when to come back", async () => {
    const name = await geminiModel('e2e-gemini-cooldown', 'gemini-cooldown-up');
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.setDefaults({ byModel: { 'gemini-cooldown-up': { status: 429, retryAfter: 7 } } });
    try {
      const first = await apiError(() =>
        openaiClient(suite, customer.key).chat.completions.create({ model: name, messages }),
      );
      const from = Date.now();
      const cooling = await apiError(() =>
        openaiClient(suite, customer.key).chat.completions.create({ model: name, messages }),
      );

      for (const error of [first, cooling]) {
        expect(error.status).toBe(503);
        expect(error.message).toContain('Rate limited by provider');
        expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(error.headers?.get('retry-after'))).toBeLessThanOrEqual(7);
      }
      // The channel is cooling down: the second request never reached Gemini.
      expect(since(from)).toEqual([]);
    } finally {
      suite.fake.setDefaults({ byModel: { 'gemini-cooldown-up': null } });
    }
  });

  it('refuses a parameter Gemini has no counterpart for with a 400 naming it, before anything is sent', async () => {
    const name = await geminiModel('e2e-gemini-no-counterpart');
    const customer = await createCustomer(suite, { balance: '5' });
    const from = Date.now();
    const error = await apiError(() =>
      openaiClient(suite, customer.key).chat.completions.create({
        model: name,
        messages,
        logit_bias: { '1734': -100 },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message: 'Invalid request: logit_bias has no counterpart on gemini channels',
      type: 'invalid_request_error',
      param: 'logit_bias',
      code: 'invalid_request',
      tid: expect.stringMatching(TID),
    });
    expect(since(from)).toEqual([]);
    expect(await settledCharge(suite, customer)).toBeNull();
  });

  it('creates embeddings through batchEmbedContents (the SDK asks for base64) and charges the counted input', async () => {
    const name = await geminiModel('e2e-gemini-embedding', 'gemini-embedding-001');
    const customer = await createCustomer(suite, { balance: '5' });
    const from = Date.now();
    const result = await openaiClient(suite, customer.key).embeddings.create({
      model: name,
      input: ['hello', 'world'],
    });
    expect(result.object).toBe('list');
    expect(result.model).toBe(name);
    expect(result.data.map((item) => item.embedding)).toEqual([
      Array.from(new Float32Array(fakeEmbedding('hello'))),
      Array.from(new Float32Array(fakeEmbedding('world'))),
    ]);
    expect(since(from)[0]).toMatchObject({
      path: '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      dialect: 'gemini',
      auth: { name: 'x-goog-api-key', key: GEMINI_KEY },
      body: {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] } },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'world' }] } },
        ],
      },
    });
    // Gemini reports no embedding usage: the edge charges its own count ("hello" and "world" are a token each).
    expect(await settledCharge(suite, customer)).toBe(2n);
  });
});
