/**
 * The fake's Responses API, driven by the official `openai` SDK the way clients drive OpenAI's: JSON and
 * streamed answers, tool calls, stored responses, the usage controls and the failures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { fakeTokenCounts } from './fake-usage.js';
import { countedPrompt } from './responses.handler.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Get the weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

describe('fake provider: the Responses API through the official openai SDK', () => {
  let fake: FakeProvider;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0, azureDeployments: { 'my-gpt': 'gpt-4.1' } });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 });
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  it("answers the fake text, with usage by chat's formula (instructions and input count)", async () => {
    const response = await client.responses.create({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'Hi there!' });
    expect(response.output_text).toBe('This is a fake answer.');
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4.1', store: true });
    // 18 characters → 5 prompt tokens; 5 words → 5 output tokens.
    expect(response.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 10,
    });
    const counts = fakeTokenCounts(countedPrompt({ instructions: 'Be brief.', input: 'Hi there!' }), 5);
    expect(counts.input).toBe(response.usage?.input_tokens);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/responses', dialect: 'openai' });
  });

  it('reports cached and reasoning tokens, and the input factor, from the usage controls', async () => {
    const response = await client.responses.create(
      { model: 'gpt-4.1', input: 'x'.repeat(400) },
      { headers: { 'x-fake-cached-tokens': '64', 'x-fake-reasoning-tokens': '7', 'x-fake-input-token-factor': '1.5' } },
    );
    expect(response.usage).toEqual({
      input_tokens: 150,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 7 },
      total_tokens: 162,
    });
  });

  it('is incomplete when max_output_tokens cuts the answer', async () => {
    const response = await client.responses.create({ model: 'gpt-4.1', input: 'Hi', max_output_tokens: 2 });
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(response.output_text).toBe('This is');
  });

  it('calls the offered function, then answers text after its output', async () => {
    const first = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Weather in Paris?',
      tools: [WEATHER_TOOL],
    });
    const call = first.output[0];
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: '{"city":"fake"}',
      status: 'completed',
    });
    if (call.type !== 'function_call') throw new Error('expected a function call');
    const second = await client.responses.create({
      model: 'gpt-4.1',
      tools: [WEATHER_TOOL],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: '14.2' },
      ],
    });
    expect(second.output_text).toBe('This is a fake answer.');
    const unforced = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Weather?',
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
    });
    expect(unforced.output[0].type).toBe('message');
  });

  it('streams the events the SDK assembles into the final response', async () => {
    const stream = client.responses.stream(
      { model: 'gpt-4.1', input: 'Hi there!' },
      { headers: { 'x-fake-chunks': '3' } },
    );
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(deltas).toEqual(['This', ' is', ' a']);
    expect(response.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: 'This is a' }] }]);
    expect(response.usage).toMatchObject({ input_tokens: 3, output_tokens: 3, total_tokens: 6 });
  });

  it('streams a tool call as argument deltas', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Weather?',
      tools: [WEATHER_TOOL],
      stream: true,
    });
    let args = '';
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
    }
    expect(args).toBe('{"city":"fake"}');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.function_call_arguments.done');
  });

  it('ends a stream with the in-band error after K chunks, which the SDK raises', async () => {
    const stream = client.responses.stream(
      { model: 'gpt-4.1', input: 'Hi' },
      { headers: { 'x-fake-stream-error-after-chunks': '2' } },
    );
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    await expect(stream.finalResponse()).rejects.toMatchObject({
      message: expect.stringContaining('server had an error'),
    });
    expect(deltas).toEqual(['This', ' is']);
  });

  it('stores a response for GET and DELETE unless store is false', async () => {
    const kept = await client.responses.create({ model: 'gpt-4.1', input: 'Hi' });
    const read = await client.responses.retrieve(kept.id);
    expect(read.id).toBe(kept.id);
    expect(read.output_text).toBe('This is a fake answer.');
    await client.responses.delete(kept.id);
    await expect(client.responses.retrieve(kept.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    const unstored = await client.responses.create({ model: 'gpt-4.1', input: 'Hi', store: false });
    expect(unstored).toMatchObject({ store: false });
    const error: unknown = await client.responses.retrieve(unstored.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, type: 'invalid_request_error' });
  });

  it('continues a stored response, billing its tokens as input, and refuses an unknown one as OpenAI does', async () => {
    const first = await client.responses.create({ model: 'gpt-4.1', input: 'Hi there!' });
    const next = await client.responses.create({ model: 'gpt-4.1', input: 'And?', previous_response_id: first.id });
    expect(next.previous_response_id).toBe(first.id);
    expect(next.usage?.input_tokens).toBe(1 + (first.usage?.total_tokens ?? 0));

    const error: unknown = await client.responses
      .create({ model: 'gpt-4.1', input: 'And?', previous_response_id: 'resp_unknown' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      param: 'previous_response_id',
      message: expect.stringContaining("Previous response with id 'resp_unknown' not found."),
    });
  });

  it('fails as the error controls say', async () => {
    fake.enqueue([{ status: 429, retryAfter: 1 }]);
    const error: unknown = await client.responses
      .create({ model: 'gpt-4.1', input: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it("serves Azure's v1 Responses API with its api-key, naming the deployment's model", async () => {
    const azure = new OpenAI({
      apiKey: 'unused',
      baseURL: `${fake.url}/openai/v1`,
      defaultHeaders: { 'api-key': 'az-key', authorization: null },
      maxRetries: 0,
    });
    const response = await azure.responses.create({ model: 'my-gpt', input: 'Hi there!' });
    expect(response).toMatchObject({ model: 'gpt-4.1', status: 'completed' });
    expect(fake.requests.at(-1)).toMatchObject({
      path: '/openai/v1/responses',
      dialect: 'azure',
      auth: { name: 'api-key', key: 'az-key' },
    });
    expect((await azure.responses.retrieve(response.id)).id).toBe(response.id);
    await expect(azure.responses.create({ model: 'not-deployed', input: 'Hi' })).rejects.toMatchObject({ status: 404 });
    const keyless = new OpenAI({
      apiKey: 'unused',
      baseURL: `${fake.url}/openai/v1`,
      maxRetries: 0,
      defaultHeaders: { authorization: null },
    });
    await expect(keyless.responses.create({ model: 'my-gpt', input: 'Hi' })).rejects.toMatchObject({ status: 401 });
  });
});
