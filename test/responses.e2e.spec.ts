import { beforeAll, describe, expect, it } from '@jest/globals';
import type OpenAI from 'openai';
import type { RecordedRequest } from '../tools/fake-provider/src/index.js';
import { createChannel, createCustomer, type Customer } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { apiError, openaiClient } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

/**
 * OpenAI's Responses API at the edge, with the official SDK: natively
 * through an `openai` channel (the client's body passes through) and
 * translated to Anthropic's Messages API through an `anthropic` channel.
 */

const FAKE_ANSWER = 'This is a fake answer.';
const NATIVE = 'e2e-responses-native';
const TRANSLATED = 'e2e-responses-translated';
const TWIN = 'e2e-responses-twin';
const WEATHER_TOOL: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

/** Micro-units per token at the prices below ($ per million = micros per token). */
const PRICE = { input: 2n, cached: 1n, output: 4n, reasoning: 5n };
/** The fake's usage controls (Anthropic's usage has no reasoning part, so only cache reads on that path). */
const CONTROLS = { [NATIVE]: { cachedTokens: 3, reasoningTokens: 2 }, [TRANSLATED]: { cachedTokens: 3 } };

/** What Responses-form usage costs at PRICE: input and output, their cached and reasoning parts at their own. */
function costOf(usage: OpenAI.Responses.ResponseUsage): bigint {
  const cached = BigInt(usage.input_tokens_details.cached_tokens);
  const reasoning = BigInt(usage.output_tokens_details.reasoning_tokens);
  return (
    PRICE.input * (BigInt(usage.input_tokens) - cached) +
    PRICE.cached * cached +
    PRICE.output * (BigInt(usage.output_tokens) - reasoning) +
    PRICE.reasoning * reasoning
  );
}

const KINDS = [
  { kind: 'native (openai channel)', model: NATIVE, upstreamPath: '/v1/responses' },
  { kind: 'translated (anthropic channel)', model: TRANSLATED, upstreamPath: '/v1/messages' },
] as const;

describe('Responses API with the OpenAI SDK', () => {
  const suite = useSuite();

  /** A fresh customer (so the ledger holds this request alone) and its client. */
  async function billedClient(): Promise<{ customer: Customer; client: OpenAI }> {
    const customer = await createCustomer(suite, { balance: '5' });
    return { customer, client: openaiClient(suite, customer.key) };
  }

  /** What the fake received for a model, newest last. */
  const upstreamCalls = (model: string): RecordedRequest[] =>
    suite.fake.requests.filter((request) => (request.body as { model?: string } | undefined)?.model === model);

  beforeAll(async () => {
    await createChannel(suite, { models: [NATIVE] });
    await createChannel(suite, { type: 'anthropic', base_url: suite.fake.url, models: [TRANSLATED] });
    for (const model of [NATIVE, TRANSLATED]) {
      const price = await suite.admin('PUT', `/admin/v1/prices/${model}`, {
        input_per_million: '2',
        cached_input_per_million: '1',
        output_per_million: '4',
        reasoning_per_million: '5',
      });
      expect(price.status).toBe(200);
    }
    suite.fake.setDefaults({ byModel: CONTROLS });
  });

  describe.each(KINDS)('$kind', ({ model, upstreamPath }) => {
    it('responses.create with instructions: output_text, the upstream body, the charge to the micro-unit', async () => {
      const { customer, client } = await billedClient();
      const response = await client.responses.create({ model, instructions: 'You are terse.', input: 'Hello' });
      expect(response).toMatchObject({ object: 'response', status: 'completed', model });
      expect(response.output_text).toBe(FAKE_ANSWER);
      expect(response.usage?.input_tokens_details.cached_tokens).toBe(3);
      if (model === NATIVE) expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(2);

      const call = upstreamCalls(model).at(-1);
      expect(call?.path).toBe(upstreamPath);
      if (model === NATIVE) {
        expect(call?.body).toMatchObject({ instructions: 'You are terse.', input: 'Hello' });
      } else {
        // An Anthropic Messages body: the instructions as the system prompt, the input as a user message.
        const body = call?.body as { system: unknown; messages: unknown[]; max_tokens: number };
        expect(JSON.stringify(body.system)).toContain('You are terse.');
        expect(body.messages).toHaveLength(1);
        expect(JSON.stringify(body.messages[0])).toContain('Hello');
        expect(body.max_tokens).toBeGreaterThan(0);
      }
      expect(await settledCharge(suite, customer)).toBe(costOf(response.usage!));
    });

    it('responses.stream: text delta events and finalResponse(), the charge', async () => {
      const { customer, client } = await billedClient();
      const deltas: string[] = [];
      const stream = client.responses
        .stream({ model, input: 'Hello' })
        .on('response.output_text.delta', (event) => deltas.push(event.delta));
      const response = await stream.finalResponse();
      expect(deltas.join('')).toBe(FAKE_ANSWER);
      // The SDK's finalResponse() is the completed event's response, without the output_text convenience.
      expect(textOf(response)).toBe(FAKE_ANSWER);
      expect(await settledCharge(suite, customer)).toBe(costOf(response.usage!));
    });

    it('responses.create({stream: true}) yields the documented events in order', async () => {
      const { client } = await billedClient();
      const types: string[] = [];
      let completed: OpenAI.Responses.Response | undefined;
      for await (const event of await client.responses.create({ model, input: 'Hello', stream: true })) {
        types.push(event.type);
        if (event.type === 'response.completed') completed = event.response;
      }
      expect(types[0]).toBe('response.created');
      expect(types.at(-1)).toBe('response.completed');
      for (const type of [
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.output_item.done',
      ]) {
        expect(types).toContain(type);
      }
      expect(textOf(completed)).toBe(FAKE_ANSWER);
    });

    it('a function-call round trip: function_call, then function_call_output, then text', async () => {
      const { client } = await billedClient();
      const first = await client.responses.create({ model, input: 'Weather in Paris?', tools: [WEATHER_TOOL] });
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call).toMatchObject({ type: 'function_call', name: 'get_weather' });
      if (call?.type !== 'function_call') throw new Error('no function_call item');
      expect(JSON.parse(call.arguments)).toEqual({ city: 'fake' });

      const second = await client.responses.create({
        model,
        tools: [WEATHER_TOOL],
        input: [
          { role: 'user', content: 'Weather in Paris?' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: 'Sunny' },
        ],
      });
      expect(second.output_text).toBe(FAKE_ANSWER);
      const upstream = JSON.stringify(upstreamCalls(model).at(-1)?.body);
      expect(upstream).toContain(model === NATIVE ? '"function_call_output"' : '"tool_result"');
      expect(upstream).toContain('Sunny');
    });
  });

  it('structured output (text.format json_schema) passes to an openai channel', async () => {
    const { client } = await billedClient();
    const format = {
      type: 'json_schema' as const,
      name: 'answer',
      schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
      strict: true,
    };
    const response = await client.responses.create({ model: NATIVE, input: 'Hello', text: { format } });
    expect(response.status).toBe('completed');
    expect(upstreamCalls(NATIVE).at(-1)?.body).toMatchObject({ text: { format } });
  });

  describe('stored responses', () => {
    it('retrieve returns a stored response; another customer gets 404 for it and 400 for a follow-up', async () => {
      const { client } = await billedClient();
      const stored = await client.responses.create({ model: NATIVE, input: 'Hello' });
      const retrieved = await client.responses.retrieve(stored.id);
      expect(retrieved).toMatchObject({ id: stored.id, output_text: FAKE_ANSWER });

      const stranger = (await billedClient()).client;
      expect((await apiError(() => stranger.responses.retrieve(stored.id))).status).toBe(404);
      const followUp = await apiError(() =>
        stranger.responses.create({ model: NATIVE, input: 'And?', previous_response_id: stored.id }),
      );
      expect([followUp.status, followUp.param]).toEqual([400, 'previous_response_id']);

      const followed = await client.responses.create({ model: NATIVE, input: 'And?', previous_response_id: stored.id });
      expect(followed.output_text).toBe(FAKE_ANSWER);
    });

    it('follow-ups go to the channel that stored the first response, of two serving the model', async () => {
      // Two openai channels for one model, told apart by the upstream key the fake records.
      const keys = ['sk-upstream-twin-a', 'sk-upstream-twin-b'];
      for (const apiKey of keys) await createChannel(suite, { models: [TWIN], api_key: apiKey });
      const price = await suite.admin('PUT', `/admin/v1/prices/${TWIN}`, {
        input_per_million: '2',
        output_per_million: '4',
      });
      expect(price.status).toBe(200);
      const { client } = await billedClient();
      const upstreamKeyOf = (responseId: string) =>
        suite.fake.requests.find(
          (request) => request.path === '/v1/responses' && JSON.stringify(request.body).includes(responseId),
        )?.auth?.key;
      const firsts = [];
      for (let i = 0; i < 8; i++) {
        const first = await client.responses.create({ model: TWIN, input: `Hello ${i}` });
        const storedWith = upstreamCalls(TWIN).at(-1)?.auth?.key;
        firsts.push({ id: first.id, storedWith });
      }
      // Both channels stored some (weights are equal): else the test would prove nothing.
      expect(new Set(firsts.map((first) => first.storedWith))).toEqual(new Set(keys));
      for (const first of firsts) {
        await client.responses.create({ model: TWIN, input: 'And?', previous_response_id: first.id });
        expect(upstreamKeyOf(first.id)).toBe(first.storedWith);
        const again = await client.responses.retrieve(first.id);
        expect(again.id).toBe(first.id);
      }
    });

    it('a store: false answer is not retrievable', async () => {
      const { client } = await billedClient();
      const unstored = await client.responses.create({ model: NATIVE, input: 'Hello', store: false });
      expect((await apiError(() => client.responses.retrieve(unstored.id))).status).toBe(404);
    });

    it('previous_response_id naming no stored response, on a model only an anthropic channel serves, is a 400 naming the field', async () => {
      const { client } = await billedClient();
      const error = await apiError(() =>
        client.responses.create({ model: TRANSLATED, input: 'And?', previous_response_id: 'resp_unknown' }),
      );
      expect([error.status, error.param, error.code]).toEqual([400, 'previous_response_id', 'invalid_request']);
    });

    // The storing openai channel does not serve this model: nothing can continue that response.
    it('previous_response_id of a stored response, on a model only an anthropic channel serves, is a 400 naming the field', async () => {
      const { client } = await billedClient();
      const stored = await client.responses.create({ model: NATIVE, input: 'Hello' });
      const error = await apiError(() =>
        client.responses.create({ model: TRANSLATED, input: 'And?', previous_response_id: stored.id }),
      );
      expect([error.status, error.param, error.code]).toEqual([400, 'previous_response_id', 'invalid_request']);
    });
  });
});

/** The text of a response's message items (for a streamed final response the SDK does not decorate). */
function textOf(response: OpenAI.Responses.Response | undefined): string {
  return (response?.output ?? [])
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}
