import { describe, expect, it } from '@jest/globals';
import { APIError } from 'openai';
import { countChatInput } from '../apps/edge/src/relay/chat-input.js';
import { countText } from '../apps/edge/src/relay/usage-estimate.js';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { openaiClient } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;
/** The fake's longest pause: a chunk scheduled after it is never sent while a test runs. */
const NEVER_MS = 600_000;

const messages = [{ role: 'user' as const, content: 'Tell me something, slowly' }];

/** At $1 / $2 per million tokens: the edge's own count of the prompt, plus the words streamed so far. */
const partialCost = (streamedText: string): bigint =>
  BigInt(countChatInput({ messages }).total) + 2n * BigInt(countText(streamedText));

describe('OpenAI API surface: streaming, retries and partial deliveries', () => {
  const suite = useSuite();

  async function model(name: string, channels: Array<Record<string, unknown>> = [{}]): Promise<number[]> {
    const ids: number[] = [];
    for (const [i, channel] of channels.entries()) {
      ids.push(await createChannel(suite, { models: [name], api_key: `sk-upstream-${name}-${i}`, ...channel }));
    }
    await setPrice(suite, name, '1', '2');
    return ids;
  }

  const upstreamCalls = (name: string) =>
    suite.fake.requests.filter((request) => (request.body as { model?: string } | undefined)?.model === name);

  it('relays the first chunk while the upstream has not produced the second', async () => {
    await model('e2e-first-chunk');
    // Chunk 2 follows chunk 1 only after NEVER_MS: whatever the client holds was relayed chunk by chunk.
    suite.fake.setDefaults({ byModel: { 'e2e-first-chunk': { chunkIntervalMs: NEVER_MS } } });
    const customer = await createCustomer(suite, { balance: '5' });
    const { data: stream, response } = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: 'e2e-first-chunk', messages, stream: true })
      .withResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-tid')).toMatch(TID);

    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(first.value?.choices[0]?.delta.content).toBe('This');
    expect(upstreamCalls('e2e-first-chunk')).toHaveLength(1);
    stream.controller.abort();
    await settledCharge(suite, customer);
  });

  it('aborts the upstream when the client disconnects mid-stream, and charges what was produced', async () => {
    await model('e2e-disconnect');
    suite.fake.setDefaults({ byModel: { 'e2e-disconnect': { chunkIntervalMs: NEVER_MS } } });
    const customer = await createCustomer(suite, { balance: '5' });
    const { data: stream, response } = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: 'e2e-disconnect', messages, stream: true })
      .withResponse();
    const tid = response.headers.get('x-tid') ?? '';
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.content).toBe('This');
      break; // the SDK aborts the request: the client is gone
    }
    // The upstream would keep the stream open for NEVER_MS: a settlement now means the edge cut it off.
    expect(await settledCharge(suite, customer)).toBe(partialCost('This'));
    await eventually(
      () =>
        expect(
          suite
            .logs('edge')
            .split('\n')
            .filter((line) => line.includes(tid) && line.includes('client left mid-stream')),
        ).not.toEqual([]),
      { timeoutMs: 5_000 },
    );
  });

  it('ends a stream the upstream drops with an SSE error event carrying the tid, and charges what was produced', async () => {
    await model('e2e-drop');
    suite.fake.setDefaults({ byModel: { 'e2e-drop': { dropAfterChunks: 2 } } });
    const customer = await createCustomer(suite, { balance: '5' });
    const { data: stream, response } = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: 'e2e-drop', messages, stream: true })
      .withResponse();
    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    } catch (error) {
      failure = error;
    }
    expect(received).toEqual(['This', ' is']);
    expect(failure).toBeInstanceOf(APIError);
    const error = failure as APIError;
    expect(error.error).toEqual({
      message: expect.stringContaining('upstream provider stopped'),
      type: 'server_error',
      param: null,
      code: 'upstream_stream_error',
      tid: response.headers.get('x-tid'),
    });
    expect(await settledCharge(suite, customer)).toBe(partialCost('This is'));
  });

  it('ends a stream whose upstream falls silent for longer than the channel idle timeout', async () => {
    await model('e2e-idle', [{ timeouts: { idle_ms: 300 } }]);
    suite.fake.setDefaults({ byModel: { 'e2e-idle': { chunkIntervalMs: NEVER_MS } } });
    const customer = await createCustomer(suite, { balance: '5' });
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: 'e2e-idle',
      messages,
      stream: true,
    });
    const received: string[] = [];
    const error = await (async () => {
      try {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      } catch (caught) {
        return caught as APIError;
      }
      throw new Error('the stream ended normally');
    })();
    expect(received).toEqual(['This']);
    expect(error.code).toBe('upstream_stream_error');
    expect(await settledCharge(suite, customer)).toBe(partialCost('This'));
  });

  it('retries a 500 on another channel: the client gets the 200, the fake saw two calls on two keys', async () => {
    await model('e2e-retry', [{}, {}]);
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.enqueue([{ status: 500 }]);
    const completion = await openaiClient(suite, customer.key).chat.completions.create({
      model: 'e2e-retry',
      messages,
    });
    expect(completion.choices[0]?.message.content).toBe('This is a fake answer.');
    const calls = upstreamCalls('e2e-retry');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((call) => call.headers.authorization)).size).toBe(2);
    expect(await settledCharge(suite, customer)).not.toBeNull();
  });

  it('retries a stream refused with 429 on another channel before anything is sent', async () => {
    await model('e2e-retry-stream', [{}, {}]);
    const customer = await createCustomer(suite, { balance: '5' });
    suite.fake.enqueue([{ status: 429, retryAfter: 30 }]);
    const stream = await openaiClient(suite, customer.key).chat.completions.create({
      model: 'e2e-retry-stream',
      messages,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('This is a fake answer.');
    expect(upstreamCalls('e2e-retry-stream')).toHaveLength(2);
  });

  it('gives up after UPSTREAM_MAX_RETRIES extra channels with 502, and releases the hold', async () => {
    await model('e2e-exhausted', [{}, {}, {}, {}]);
    suite.fake.setDefaults({ byModel: { 'e2e-exhausted': { status: 502 } } });
    const customer = await createCustomer(suite, { balance: '5' });
    const error = await openaiClient(suite, customer.key)
      .chat.completions.create({ model: 'e2e-exhausted', messages })
      .then(
        () => null,
        (caught: unknown) => caught as APIError,
      );
    expect(error?.status).toBe(502);
    expect(error?.code).toBe('upstream_unavailable');
    expect(upstreamCalls('e2e-exhausted')).toHaveLength(1 + 2);
    expect(await settledCharge(suite, customer)).toBeNull();
  });

  it('never retries a pinned channel', async () => {
    const [pinned] = await model('e2e-pinned', [{}, {}]);
    const admin = await createCustomer(suite, { balance: '5', role: 'admin' });
    suite.fake.enqueue([{ status: 500 }]);
    const error = await openaiClient(suite, `${admin.key}-${pinned}`)
      .chat.completions.create({ model: 'e2e-pinned', messages })
      .then(
        () => null,
        (caught: unknown) => caught as APIError,
      );
    expect(error?.status).toBe(502);
    expect(upstreamCalls('e2e-pinned')).toHaveLength(1);
  });
});
