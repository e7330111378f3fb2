/**
 * The fake is only useful if real clients cannot tell it from OpenAI: these tests drive it with the official
 * `openai` SDK, which validates nothing but fails loudly on shapes it cannot parse (streams, base64
 * embeddings, binary speech, error envelopes).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { fakeEmbedding } from './embeddings.handler.js';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';

describe('fake provider through the official openai SDK', () => {
  let fake: FakeProvider;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    // No retries: a forced 429 must surface as an error, not be retried behind the test's back.
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('creates a chat completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi there!' }],
    });
    expect(completion.choices[0].message.content).toBe('This is a fake answer.');
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams a chat completion with the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi there!' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('This is a fake answer.');
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
  });

  it('surfaces a forced 429 as a RateLimitError with the OpenAI code', async () => {
    fake.enqueue([{ status: 429, retryAfter: 2 }]);
    const error: unknown = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
  });

  it('decodes base64 embeddings, which the SDK requests by default', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
    expect(fake.requests.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    expect(response.data.map((item) => item.embedding)).toEqual([fakeEmbedding('alpha'), fakeEmbedding('beta')]);
  });

  it('reads legacy completions, images, speech, moderations and models', async () => {
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say it' });
    expect(completion.choices[0].text).toBe('This is a fake answer.');

    const images = await client.images.generate({ model: 'dall-e-3', prompt: 'a cat', n: 2 });
    expect(images.data).toHaveLength(2);

    const speech = await client.audio.speech.create({ model: 'tts-1', input: 'Hello', voice: 'alloy' });
    expect(Buffer.from(await speech.arrayBuffer())).toHaveLength(1024);

    const moderation = await client.moderations.create({ input: 'harmless' });
    expect(moderation.results[0].flagged).toBe(false);

    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toContain('fake-model');
    expect((await client.models.retrieve('anything')).id).toBe('anything');
  });

  it('accumulates a streamed tool call and reports reasoning and cached tokens', async () => {
    const runner = client.chat.completions.stream(
      {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ],
        stream_options: { include_usage: true },
      },
      { headers: { 'x-fake-cached-tokens': '2', 'x-fake-reasoning-tokens': '8' } },
    );
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.choices[0].message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_fake_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"fake"}' },
      },
    ]);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(2);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(8);
  });

  it('surfaces an in-band stream error as an APIError', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true },
      { headers: { 'x-fake-stream-error-after-chunks': '2' } },
    );
    const received: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(received).toEqual(['This', ' is']);
  });
});
