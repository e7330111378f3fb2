import { describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { FAKE_SPEECH, fakeEmbedding, fakeUsage, FAKE_FLAG_MARKER } from '../tools/fake-provider/src/index.js';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { openaiClient, tokenCost, WEATHER_TOOL } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;

describe('OpenAI API surface: every endpoint through the official SDK', () => {
  const suite = useSuite();
  const messages = [{ role: 'user' as const, content: 'Hello there, fake provider' }];

  /** A model of its own (channel and price) per test, so that tests do not share fake controls or channel health. */
  async function model(name: string, channel: Record<string, unknown> = {}): Promise<string> {
    await createChannel(suite, { models: [name], ...channel });
    await setPrice(suite, name, '1', '2');
    return name;
  }

  it('answers a chat completion as JSON, with the tid header, and charges the reported usage', async () => {
    const name = await model('e2e-chat-json');
    const customer = await createCustomer(suite, { balance: '5' });
    const { data, response } = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: name, messages })
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tid')).toMatch(TID);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe(name);
    expect(data.choices[0]?.message.content).toBe('This is a fake answer.');
    expect(data.usage).toMatchObject(fakeUsage({ messages }));
    expect(await settledCharge(suite, customer)).toBe(tokenCost(data.usage!));
  });

  it('streams a chat completion; the usage chunk the edge asked for is not shown; usage is charged', async () => {
    const name = await model('e2e-chat-stream');
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.clearRequests();
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages,
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('This is a fake answer.');
    expect(chunks.every((chunk) => chunk.model === name && chunk.choices.length > 0)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    // The upstream was asked for usage, to bill the stream.
    expect(suite.fake.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(await settledCharge(suite, customer)).toBe(tokenCost(fakeUsage({ messages })));
  });

  it('streams the usage chunk to a client that asked for it', async () => {
    const name = await model('e2e-chat-stream-usage');
    const customer = await createCustomer(suite, { balance: '5' });
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject(fakeUsage({ messages }));
  });

  it('carries a tool-call round trip, JSON and streamed: the call with its argument deltas, then the answer to its result', async () => {
    const name = await model('e2e-chat-tools');
    const customer = await createCustomer(suite, { balance: '5' });
    const client = openaiClient(suite, customer.key);
    const tools = [WEATHER_TOOL];

    const first = await client.chat.completions.create({ model: name, messages, tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');

    const stream = await client.chat.completions.create({ model: name, messages, tools, stream: true });
    let streamedArguments = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      streamedArguments += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(call?.type === 'function' && JSON.parse(streamedArguments)).toEqual(
      call?.type === 'function' && JSON.parse(call.function.arguments),
    );

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

  it('answers and streams legacy completions', async () => {
    const name = await model('e2e-completions');
    const customer = await createCustomer(suite, { balance: '5' });
    const client = openaiClient(suite, customer.key);
    const completion = await client.completions.create({ model: name, prompt: 'Say something', max_tokens: 3 });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toBe('This is a');
    expect(completion.choices[0]?.finish_reason).toBe('length');

    const stream = await client.completions.create({ model: name, prompt: 'Say something', stream: true });
    let text = '';
    for await (const chunk of stream) {
      expect(chunk.choices.length).toBeGreaterThan(0);
      text += chunk.choices[0]?.text ?? '';
    }
    expect(text).toBe('This is a fake answer.');
  });

  it('creates embeddings (the SDK asks for base64 and decodes it) and charges the input tokens', async () => {
    const name = await model('e2e-embedding');
    const customer = await createCustomer(suite, { balance: '5' });
    const result = await openaiClient(suite, customer.key).embeddings.create({
      model: name,
      input: ['hello', 'world'],
    });
    expect(result.data.map((item) => item.embedding)).toEqual([fakeEmbedding('hello'), fakeEmbedding('world')]);
    expect(result.model).toBe(name);
    expect(await settledCharge(suite, customer)).toBe(BigInt(result.usage.prompt_tokens));
  });

  it('generates images and charges per image produced at the requested size', async () => {
    await createChannel(suite, { models: ['dall-e-2'] });
    const price = await suite.admin('PUT', '/admin/v1/prices/dall-e-2', {
      input_per_million: '0',
      output_per_million: '0',
      image_prices: { '256x256': '0.016', '1024x1024': '0.02' },
    });
    expect(price.status).toBe(200);
    const customer = await createCustomer(suite, { balance: '5' });
    const images = await openaiClient(suite, customer.key).images.generate({
      model: 'dall-e-2',
      prompt: 'a lighthouse at dusk',
      n: 2,
      size: '256x256',
    });
    expect(images.data).toHaveLength(2);
    expect(images.data?.[0]?.url).toMatch(/^https:\/\/fake-provider\.invalid\//);
    expect(await settledCharge(suite, customer)).toBe(2n * 16_000n);
  });

  it('passes speech audio through byte for byte and charges per character', async () => {
    await createChannel(suite, { models: ['tts-1'] });
    const price = await suite.admin('PUT', '/admin/v1/prices/tts-1', {
      input_per_million: '0',
      output_per_million: '0',
      characters_per_million: '15',
    });
    expect(price.status).toBe(200);
    const customer = await createCustomer(suite, { balance: '5' });
    const response = await openaiClient(suite, customer.key).audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input: 'Hello world',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('x-tid')).toMatch(TID);
    expect(Buffer.from(await response.arrayBuffer()).equals(FAKE_SPEECH)).toBe(true);
    // 11 characters at $15 per million characters = 165 micro-units.
    expect(await settledCharge(suite, customer)).toBe(165n);
  });

  it("moderates text with OpenAI's default model when none is named", async () => {
    await createChannel(suite, { models: ['omni-moderation-latest'] });
    await setPrice(suite, 'omni-moderation-latest', '0', '0');
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.clearRequests();
    const result = await openaiClient(suite, customer.key).moderations.create({
      input: ['fine text', `text with ${FAKE_FLAG_MARKER}`],
    });
    expect(result.results.map((item) => item.flagged)).toEqual([false, true]);
    expect(suite.fake.requests.at(-1)?.body).toMatchObject({ model: 'omni-moderation-latest' });
    expect(await settledCharge(suite, customer)).toBe(0n);
  });

  it('lists the models the key may use', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    const ids: string[] = [];
    for await (const item of openaiClient(suite, customer.key).models.list()) ids.push(item.id);
    expect(ids).toEqual(expect.arrayContaining(['e2e-chat-json', 'dall-e-2', 'tts-1']));
  });

  it("sends a mapped model's upstream name, and answers (JSON and every chunk) with the name the client used", async () => {
    const name = await model('e2e-alias', { model_mapping: { 'e2e-alias': 'e2e-upstream-name' } });
    const customer = await createCustomer(suite, { balance: '5' });
    const client = openaiClient(suite, customer.key);
    suite.fake.clearRequests();

    const completion = await client.chat.completions.create({ model: name, messages });
    expect(completion.model).toBe(name);
    expect(suite.fake.requests.at(-1)?.body).toMatchObject({ model: 'e2e-upstream-name' });

    const stream = await client.chat.completions.create({ model: name, messages, stream: true });
    const models = new Set<string>();
    for await (const chunk of stream) models.add(chunk.model);
    expect([...models]).toEqual([name]);
    expect(suite.fake.requests.at(-1)?.body).toMatchObject({
      model: 'e2e-upstream-name',
      stream_options: { include_usage: true },
    });
  });

  it('counts the tokens of a stream whose upstream reports no usage, and charges them', async () => {
    const name = await model('e2e-no-usage');
    suite.fake.setDefaults({ byModel: { [name]: { omitUsage: true } } });
    const customer = await createCustomer(suite, { balance: '5' });
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: name,
      messages,
      stream: true,
    });
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
    const charge = await settledCharge(suite, customer);
    // Input: the edge's own count of the prompt; output: "This is a fake answer." = 6 tokens (o200k).
    const { countText } = await import('../apps/edge/src/relay/usage-estimate.js');
    const { countChatInput } = await import('../apps/edge/src/relay/chat-input.js');
    expect(charge).toBe(BigInt(countChatInput({ messages }).total) + 2n * BigInt(countText('This is a fake answer.')));
  });
});
