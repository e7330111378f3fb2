import { describe, expect, it } from '@jest/globals';
import type OpenAI from 'openai';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { openaiClient, tokenCost, WEATHER_TOOL } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;
const API_VERSION = '2025-04-01-preview';
const AZURE_KEY = 'azure-upstream-key-0123456789';

/**
 * Azure OpenAI channels, through the official OpenAI SDK: the edge's azure
 * adapter sends OpenAI's body to the deployment the channel maps the model
 * to, with the `api-key` header and the channel's `api-version`, and the
 * client sees an ordinary OpenAI answer under the model it asked for.
 */
describe('provider adapters: azure channels', () => {
  const suite = useSuite();
  const messages = [{ role: 'user' as const, content: 'Hello there, Azure' }];

  /** A model of its own, served by an azure channel on the fake provider, deployment `dep-<model>`. */
  async function azureModel(name: string, channel: Record<string, unknown> = {}): Promise<string> {
    await createChannel(suite, {
      type: 'azure',
      base_url: suite.fake.url,
      api_key: AZURE_KEY,
      api_version: API_VERSION,
      models: [name],
      model_mapping: { [name]: `dep-${name}` },
      ...channel,
    });
    await setPrice(suite, name, '1', '2');
    return name;
  }

  const azureRequests = (deployment: string) =>
    suite.fake.requests.filter((request) => request.path.startsWith(`/openai/deployments/${deployment}/`));

  it('answers a chat completion from the deployment, in the azure dialect, and charges its usage', async () => {
    const name = await azureModel('e2e-azure-json');
    const customer = await createCustomer(suite, { balance: '5' });

    const { data, response } = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: name, messages })
      .withResponse();

    expect(response.headers.get('x-tid')).toMatch(TID);
    expect(data.model).toBe(name);
    expect(data.choices[0]?.message.content).toBe('This is a fake answer.');
    const [sent] = azureRequests(`dep-${name}`);
    expect(sent).toMatchObject({
      dialect: 'azure',
      path: `/openai/deployments/dep-${name}/chat/completions`,
      query: { 'api-version': API_VERSION },
      auth: { name: 'api-key', value: AZURE_KEY },
    });
    expect(sent?.headers.authorization).toBeUndefined();
    expect(await settledCharge(suite, customer)).toBe(tokenCost(data.usage!));
  });

  it('streams with the usage chunk the client asked for', async () => {
    const name = await azureModel('e2e-azure-stream');
    const customer = await createCustomer(suite, { balance: '5' });

    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('This is a fake answer.');
    const usage = chunks.at(-1)?.usage;
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(await settledCharge(suite, customer)).toBe(tokenCost(usage!));
  });

  it('carries a tool-call round trip: the call, then the answer to its result', async () => {
    const name = await azureModel('e2e-azure-tools');
    const customer = await createCustomer(suite, { balance: '5' });
    const client = openaiClient(suite, customer.key);
    const tools = [WEATHER_TOOL];

    const first = await client.chat.completions.create({ model: name, messages, tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');

    const second = await client.chat.completions.create({
      model: name,
      tools,
      messages: [
        ...messages,
        first.choices[0].message,
        { role: 'tool', tool_call_id: call!.id, content: '{"temperature_c":21}' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('This is a fake answer.');
  });

  it("passes the deployment's refusal on in OpenAI's shape with the tid", async () => {
    const name = await azureModel('e2e-azure-refused');
    suite.fake.setDefaults({ byModel: { [`dep-${name}`]: { status: 400, errorCode: 'content_filter' } } });
    const customer = await createCustomer(suite, { balance: '5' });

    const error = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: name, messages })
      .then(
        () => null,
        (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>,
      );

    expect(error?.status).toBe(400);
    expect(error?.code).toBe('content_filter');
    expect(error?.error).toMatchObject({ tid: expect.stringMatching(TID) });
    expect(await settledCharge(suite, customer)).toBeNull();
  });

  it('retries a throttled azure channel on an openai channel of the same model, the client none the wiser', async () => {
    const name = await azureModel('e2e-azure-retry', { priority: 10 });
    await createChannel(suite, { models: [name], priority: 0 });
    suite.fake.setDefaults({ byModel: { [`dep-${name}`]: { status: 429 } } });
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.clearRequests();

    const answer = await openaiClient(suite, customer.key).chat.completions.create({ model: name, messages });

    expect(answer.choices[0]?.message.content).toBe('This is a fake answer.');
    expect(suite.fake.requests.map((request) => request.dialect)).toEqual(['azure', 'openai']);
  });

  it('routes no endpoint Azure lacks to an azure channel: moderations get the documented 503', async () => {
    const name = await azureModel('e2e-azure-moderation');
    const customer = await createCustomer(suite, { balance: '5' });

    const error = await openaiClient(suite, customer.key)
      .moderations.create({ model: name, input: 'hello' })
      .then(
        () => null,
        (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>,
      );

    expect(error?.status).toBe(503);
    expect(azureRequests(`dep-${name}`)).toEqual([]);
  });

  it('keeps api_version to azure channels: the admin API refuses it on another type, naming it', async () => {
    const refused = await suite.admin<{ error: { param: string; message: string } }>('POST', '/admin/v1/channels', {
      name: 'not-azure',
      base_url: `${suite.fake.url}/v1`,
      api_key: 'sk-upstream-secret-0000',
      models: ['gpt-4o-mini'],
      api_version: API_VERSION,
    });
    const malformed = await suite.admin<{ error: { param: string } }>('POST', '/admin/v1/channels', {
      name: 'bad-version',
      type: 'azure',
      base_url: suite.fake.url,
      api_key: AZURE_KEY,
      models: ['gpt-4o-mini'],
      api_version: 'latest',
    });

    expect([refused.status, refused.body.error.param]).toEqual([400, 'api_version']);
    expect(refused.body.error.message).toContain('api_version applies only to azure channels');
    expect([malformed.status, malformed.body.error.param]).toEqual([400, 'api_version']);
  });
});
