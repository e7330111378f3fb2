import { beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import type { RecordedRequest } from '../tools/fake-provider/src/index.js';
import { createChannel, createCustomer, type Customer } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { useSuite } from './support/suite.js';

/**
 * Anthropic's Messages API at the edge, with the official SDK: natively
 * through an `anthropic` channel (the client's body passes through) and
 * translated to chat completions through an `openai` channel.
 */

const TID = /^[0-9a-f]{32}$/;
const FAKE_ANSWER = 'This is a fake answer.';
const NATIVE = 'e2e-messages-native';
const TRANSLATED = 'e2e-messages-translated';
// 1×1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

/** Micro-units per token at the prices below ($ per million = micros per token). */
const PRICE = { input: 2n, cached: 1n, cacheWrite: 3n, output: 4n };
/** The fake's usage controls: cache reads and writes on the native path, cache reads on the translated one. */
const CONTROLS = { [NATIVE]: { cachedTokens: 3, cacheWriteTokens: 2 }, [TRANSLATED]: { cachedTokens: 3 } };

/** What Anthropic-form usage costs at PRICE: plain input, cache reads, cache writes and output each at its price. */
const costOf = (usage: Anthropic.Usage): bigint =>
  PRICE.input * BigInt(usage.input_tokens) +
  PRICE.cached * BigInt(usage.cache_read_input_tokens ?? 0) +
  PRICE.cacheWrite * BigInt(usage.cache_creation_input_tokens ?? 0) +
  PRICE.output * BigInt(usage.output_tokens);

const KINDS = [
  { kind: 'native (anthropic channel)', model: NATIVE, upstreamPath: '/v1/messages' },
  { kind: 'translated (openai channel)', model: TRANSLATED, upstreamPath: '/v1/chat/completions' },
] as const;

describe('Messages API with the Anthropic SDK', () => {
  const suite = useSuite();

  const anthropicClient = (key: { apiKey?: string; authToken?: string }): Anthropic =>
    new Anthropic({ ...key, apiKey: key.apiKey ?? null, baseURL: suite.edgeUrl, maxRetries: 0 });

  /** A fresh customer (so the ledger holds this request alone) and a client with its key in x-api-key. */
  async function billedClient(): Promise<{ customer: Customer; client: Anthropic }> {
    const customer = await createCustomer(suite, { balance: '5' });
    return { customer, client: anthropicClient({ apiKey: customer.key }) };
  }

  /** What the fake received for a model, newest last. */
  const upstreamCalls = (model: string): RecordedRequest[] =>
    suite.fake.requests.filter((request) => (request.body as { model?: string } | undefined)?.model === model);

  beforeAll(async () => {
    await createChannel(suite, { type: 'anthropic', base_url: suite.fake.url, models: [NATIVE] });
    await createChannel(suite, { models: [TRANSLATED] });
    for (const model of [NATIVE, TRANSLATED]) {
      const price = await suite.admin('PUT', `/admin/v1/prices/${model}`, {
        input_per_million: '2',
        cached_input_per_million: '1',
        cache_write_per_million: '3',
        output_per_million: '4',
      });
      expect(price.status).toBe(200);
    }
    suite.fake.setDefaults({ byModel: CONTROLS });
  });

  describe.each(KINDS)('$kind', ({ model, upstreamPath }) => {
    it('messages.create with a system prompt: the answer, the upstream body, the charge to the micro-unit', async () => {
      const { customer, client } = await billedClient();
      const message = await client.messages.create({
        model,
        max_tokens: 64,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'Hello' }],
      });
      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: FAKE_ANSWER }],
        stop_reason: 'end_turn',
      });
      expect(message.usage.cache_read_input_tokens).toBe(3);
      if (model === NATIVE) expect(message.usage.cache_creation_input_tokens).toBe(2);
      expect(message.usage.output_tokens).toBe(5);

      const call = upstreamCalls(model).at(-1);
      expect(call?.path).toBe(upstreamPath);
      if (model === NATIVE) {
        expect(call?.body).toMatchObject({ system: 'You are terse.', messages: [{ role: 'user', content: 'Hello' }] });
      } else {
        expect(call?.body).toMatchObject({
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: 'Hello' },
          ],
        });
      }
      expect(await settledCharge(suite, customer)).toBe(costOf(message.usage));
    });

    it('messages.stream: text events, finalMessage(), the charge', async () => {
      const { customer, client } = await billedClient();
      const texts: string[] = [];
      const stream = client.messages
        .stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] })
        .on('text', (text) => texts.push(text));
      const message = await stream.finalMessage();
      expect(texts.join('')).toBe(FAKE_ANSWER);
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: FAKE_ANSWER })]);
      expect(message.stop_reason).toBe('end_turn');
      expect(await settledCharge(suite, customer)).toBe(costOf(message.usage));
    });

    it('a tool-use round trip: tool_use, then tool_result, then text', async () => {
      const { client } = await billedClient();
      const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' };
      const first = await client.messages.create({
        model,
        max_tokens: 64,
        tools: [WEATHER_TOOL],
        messages: [question],
      });
      expect(first.stop_reason).toBe('tool_use');
      const toolUse = first.content.find((block) => block.type === 'tool_use');
      expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'fake' } });

      const second = await client.messages.create({
        model,
        max_tokens: 64,
        tools: [WEATHER_TOOL],
        messages: [
          question,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: toolUse!.type === 'tool_use' ? toolUse!.id : '', content: 'Sunny' },
            ],
          },
        ],
      });
      expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: FAKE_ANSWER })]);
      const upstream = upstreamCalls(model).at(-1)?.body as { messages: unknown[] };
      if (model === NATIVE) {
        expect(upstream.messages.at(-1)).toMatchObject({ content: [{ type: 'tool_result', content: 'Sunny' }] });
      } else {
        expect(upstream.messages.at(-1)).toMatchObject({ role: 'tool', content: 'Sunny' });
      }
    });

    it('an image block reaches the upstream in its dialect', async () => {
      const { client } = await billedClient();
      const message = await client.messages.create({
        model,
        max_tokens: 64,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      });
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: FAKE_ANSWER })]);
      const upstream = upstreamCalls(model).at(-1)?.body as { messages: Array<{ content: unknown }> };
      const image =
        model === NATIVE
          ? { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }
          : { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } };
      expect(upstream.messages.at(-1)?.content).toEqual(expect.arrayContaining([expect.objectContaining(image)]));
    });

    it('countTokens', async () => {
      const { client } = await billedClient();
      const before = suite.fake.requests.length;
      const counted = await client.messages.countTokens({
        model,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'Hello there, how are you today?' }],
      });
      expect(counted.input_tokens).toBeGreaterThan(0);
      const upstream = suite.fake.requests.slice(before);
      if (model === NATIVE) {
        // Passed to the provider's own count.
        expect(upstream.map((request) => request.path)).toEqual(['/v1/messages/count_tokens']);
      } else {
        // The edge's own estimate: the provider is not asked.
        expect(upstream).toEqual([]);
      }
    });
  });

  it('accepts the key as a Bearer token (authToken) too', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    const message = await anthropicClient({ authToken: customer.key }).messages.create({
      model: NATIVE,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: FAKE_ANSWER })]);
  });

  async function sdkError(call: () => Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
    try {
      await call();
    } catch (error) {
      if (error instanceof Anthropic.APIError) return error;
      throw error;
    }
    throw new Error('the call succeeded');
  }

  it.each([
    {
      what: '401 for a wrong key',
      key: async () => `sk-${'Z'.repeat(48)}`,
      status: 401,
      error: { type: 'authentication_error', message: 'Unauthorized – access token is invalid or expired.' },
    },
    {
      what: '403 insufficient_user_quota for a balance of 0',
      key: async () => (await createCustomer(suite)).key,
      status: 403,
      error: {
        type: 'permission_error',
        message: 'Your account balance is insufficient. Please recharge your account to continue using the API.',
        code: 'insufficient_user_quota',
      },
    },
  ])('$what, as the SDK shows it', async ({ key, status, error: expected }) => {
    const error = await sdkError(async () =>
      anthropicClient({ apiKey: await key() }).messages.create({
        model: NATIVE,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hello' }],
      }),
    );
    expect(error.status).toBe(status);
    expect(error.error).toEqual({ type: 'error', error: { ...expected, tid: expect.stringMatching(TID) } });
    expect((error.error as { error: { tid: string } }).error.tid).toBe(error.headers?.get('x-tid'));
  });

  it("GET /v1/models with anthropic-version lists the customer's models in Anthropic's form", async () => {
    const { client } = await billedClient();
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toEqual(
      expect.arrayContaining(
        [NATIVE, TRANSLATED].map((id) => ({
          type: 'model',
          id,
          display_name: expect.any(String),
          created_at: expect.any(String),
        })),
      ),
    );
  });
});
