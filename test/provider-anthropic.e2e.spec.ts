import { beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI, { APIError } from 'openai';
import type { RecordedRequest } from '../tools/fake-provider/src/index.js';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { apiError, openaiClient, tokenCost, WEATHER_TOOL } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;
const UPSTREAM_KEY = 'sk-ant-upstream-0123456789';
const FAKE_ANSWER = 'This is a fake answer.';

describe('anthropic channels: chat completions translated to the Messages API and back', () => {
  const suite = useSuite();
  let customer: Customer;
  let client: OpenAI;

  /** An anthropic channel on the fake for one model (the upstream name mapped), priced at $1 / $2. */
  async function anthropicModel(model: string, channel: Record<string, unknown> = {}): Promise<number> {
    const id = await createChannel(suite, {
      type: 'anthropic',
      base_url: suite.fake.url,
      api_key: UPSTREAM_KEY,
      models: [model],
      model_mapping: { [model]: `claude-${model}` },
      ...channel,
    });
    await setPrice(suite, model, '1', '2');
    return id;
  }

  /** What the fake received for one client model (its mapped upstream name), oldest first. */
  const upstreamCalls = (model: string): RecordedRequest[] =>
    suite.fake.requests.filter(
      (request) => (request.body as { model?: string } | undefined)?.model === `claude-${model}`,
    );

  beforeAll(async () => {
    customer = await createCustomer(suite, { balance: '5' });
    client = openaiClient(suite, customer.key);
  });

  it('answers a chat completion from the Messages API, in its dialect and with its key, and charges its usage', async () => {
    await anthropicModel('e2e-json');
    const billed = await createCustomer(suite, { balance: '5' });
    const completion = await openaiClient(suite, billed.key).chat.completions.create({
      model: 'e2e-json',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hello' },
      ],
      stop: 'END',
    });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'e2e-json',
      choices: [{ index: 0, message: { role: 'assistant', content: FAKE_ANSWER }, finish_reason: 'stop' }],
    });
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBe(5);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);

    const [call] = upstreamCalls('e2e-json');
    expect(call).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      dialect: 'anthropic',
      auth: { name: 'x-api-key', key: UPSTREAM_KEY },
      headers: { 'anthropic-version': '2023-06-01' },
      body: {
        model: 'claude-e2e-json',
        system: [{ type: 'text', text: 'You are terse.' }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
        max_tokens: 4096,
        stop_sequences: ['END'],
      },
    });
    expect(call.headers.authorization).toBeUndefined();
    expect(await settledCharge(suite, billed)).toBe(tokenCost(usage));
  });

  it('streams the answer as OpenAI chunks, the usage chunk last when asked, and charges the streamed usage', async () => {
    await anthropicModel('e2e-stream');
    const billed = await createCustomer(suite, { balance: '5' });
    const stream = await openaiClient(suite, billed.key).chat.completions.create({
      model: 'e2e-stream',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'e2e-stream')).toBe(
      true,
    );
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(FAKE_ANSWER);
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 5 });
    expect(upstreamCalls('e2e-stream')[0].body).toMatchObject({ stream: true });
    expect(await settledCharge(suite, billed)).toBe(tokenCost(last.usage!));

    // Without include_usage the client sees no usage chunk; the edge still bills Anthropic's counts.
    const quiet = await createCustomer(suite, { balance: '5' });
    const unasked = await openaiClient(suite, quiet.key).chat.completions.create({
      model: 'e2e-stream',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const seen: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of unasked) seen.push(chunk);
    expect(seen.some((chunk) => chunk.usage)).toBe(false);
    expect(await settledCharge(suite, quiet)).toBe(tokenCost(last.usage!));
  });

  it("counts Anthropic's cache reads and writes into prompt_tokens, as an openai upstream reports the same prompt", async () => {
    const cache = { cachedTokens: 3, cacheWriteTokens: 2 };
    await anthropicModel('e2e-cache');
    await createChannel(suite, { models: ['e2e-cache-openai'], api_key: 'sk-openai-upstream-0000' });
    await setPrice(suite, 'e2e-cache-openai', '1', '2');
    suite.fake.setDefaults({ byModel: { 'claude-e2e-cache': cache, 'e2e-cache-openai': cache } });
    const messages = [{ role: 'user' as const, content: 'A long prompt, mostly read from the cache' }];
    const viaAnthropic = await client.chat.completions.create({ model: 'e2e-cache', messages });
    const viaOpenAi = await client.chat.completions.create({ model: 'e2e-cache-openai', messages });

    // The fake's Anthropic dialect reports input_tokens without the 5 cached ones, its OpenAI dialect with them.
    expect(viaAnthropic.usage).toMatchObject({
      prompt_tokens: viaOpenAi.usage!.prompt_tokens,
      completion_tokens: viaOpenAi.usage!.completion_tokens,
      prompt_tokens_details: { cached_tokens: 3, cache_write_tokens: 2 },
    });
    expect(viaAnthropic.usage!.prompt_tokens).toBeGreaterThan(5);
  });

  it('round-trips a tool call: tool_use out, tool_result back, then the text answer', async () => {
    await anthropicModel('e2e-tools');
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'e2e-tools', messages, tools: [WEATHER_TOOL] });
    const choice = first.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'fake' });

    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '18°C and sunny' });
    const second = await client.chat.completions.create({ model: 'e2e-tools', messages, tools: [WEATHER_TOOL] });
    expect(second.choices[0]).toMatchObject({ message: { content: FAKE_ANSWER }, finish_reason: 'stop' });

    const [, followUp] = upstreamCalls('e2e-tools');
    expect(followUp.body).toMatchObject({
      tools: [{ name: 'get_weather', input_schema: WEATHER_TOOL.function.parameters }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'fake' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18°C and sunny' }] },
      ],
    });
  });

  it("streams a tool call's arguments as they arrive, at one index", async () => {
    await anthropicModel('e2e-tool-stream');
    const stream = await client.chat.completions.create({
      model: 'e2e-tool-stream',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream: true,
    });
    const calls: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every((call) => call.index === 0)).toBe(true);
    expect(JSON.parse(calls.map((call) => call.function?.arguments ?? '').join(''))).toEqual({ city: 'fake' });
    expect(finish).toBe('tool_calls');
    expect(upstreamCalls('e2e-tool-stream')[0].body).toMatchObject({
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
  });

  it("passes an Anthropic error on in OpenAI's shape, with the tid", async () => {
    await anthropicModel('e2e-refused');
    suite.fake.setDefaults({ byModel: { 'claude-e2e-refused': { status: 400 } } });
    const error = await apiError(() =>
      client.chat.completions.create({ model: 'e2e-refused', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message: expect.any(String),
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_request_error',
      tid: expect.stringMatching(TID),
    });
    expect((error.error as { tid: string }).tid).toBe(error.headers?.get('x-tid'));
  });

  it('ends a stream on an in-band overloaded error with an OpenAI error event carrying the tid', async () => {
    await anthropicModel('e2e-stream-error');
    suite.fake.setDefaults({ byModel: { 'claude-e2e-stream-error': { streamErrorAfterChunks: 2 } } });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'e2e-stream-error', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    } catch (error) {
      failure = error;
    }
    expect(received.join('')).toBe('This is');
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).error).toMatchObject({
      type: 'overloaded_error',
      code: 'overloaded_error',
      tid: response.headers.get('x-tid'),
    });
  });

  it('retries an overloaded (529) anthropic channel on an openai channel of the model, the client none the wiser', async () => {
    await anthropicModel('e2e-failover', { priority: 10 });
    await createChannel(suite, { models: ['e2e-failover'], api_key: 'sk-openai-upstream-0000', priority: 0 });
    suite.fake.setDefaults({ byModel: { 'claude-e2e-failover': { status: 529 } } });
    const completion = await client.chat.completions.create({
      model: 'e2e-failover',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0].message.content).toBe(FAKE_ANSWER);
    expect(completion.model).toBe('e2e-failover');

    const tried = suite.fake.requests.filter((request) =>
      ['claude-e2e-failover', 'e2e-failover'].includes((request.body as { model?: string } | undefined)?.model ?? ''),
    );
    expect(tried.map((request) => [request.dialect, request.path])).toEqual([
      ['anthropic', '/v1/messages'],
      ['openai', '/v1/chat/completions'],
    ]);
  });

  it("tests an anthropic channel with a one-token message, and reports Anthropic's refusal of its key", async () => {
    const id = await anthropicModel('e2e-probe');
    type Test = { ok: boolean; status: number; error: string | null };
    const passed = await suite.admin<Test>('POST', `/admin/v1/channels/${id}/test`, {});
    expect(passed.body).toMatchObject({ ok: true, status: 200, error: null });
    expect(upstreamCalls('e2e-probe').at(-1)).toMatchObject({
      path: '/v1/messages',
      dialect: 'anthropic',
      auth: { name: 'x-api-key', key: UPSTREAM_KEY },
      body: { max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] },
    });

    suite.fake.setDefaults({ byModel: { 'claude-e2e-probe': { status: 401 } } });
    const refused = await suite.admin<Test>('POST', `/admin/v1/channels/${id}/test`, {});
    expect(refused.body).toMatchObject({ ok: false, status: 401, error: expect.any(String) });
    expect(refused.body.error).not.toContain('{');
  });

  it('refuses a parameter Anthropic has no counterpart for before anything is sent, naming it', async () => {
    await anthropicModel('e2e-untranslatable');
    const error = await apiError(() =>
      client.chat.completions.create({
        model: 'e2e-untranslatable',
        messages: [{ role: 'user', content: 'hi' }],
        logprobs: true,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ code: 'invalid_request', param: 'logprobs', tid: expect.stringMatching(TID) });
    expect(upstreamCalls('e2e-untranslatable')).toEqual([]);
  });
});
