import { afterEach, describe, expect, it } from '@jest/globals';
import type { PickedChannel } from '@tollgate/contracts';
import type { JsonObject } from '../openai/body-fields.js';
import { serveFinalAnswer, untilAborted, type ServedAnswer } from '../testing/answer-server.js';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { ESTIMATE, pickedChannel, SILENT_LOGGER, TID, upstreamError } from '../testing/relay-fixtures.js';
import { EventStreamAnswer } from './event-stream-answer.js';
import { OutcomeReporter } from './outcome-reporter.js';
import { ShutdownDeadline } from './shutdown-deadline.js';
import { STREAM_CUT_SHORT_CODE, STREAM_ERROR_CODE } from './stream-relay.js';
import { countText } from './usage-estimate.js';

const MAPPED = 'gpt-4o-2024-08-06';
const chunk = (content: string, model = 'gpt-4o'): string =>
  `data: {"id":"c1","model":"${model}","choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`;
// The parts of the totals ride in OpenAI's detail blocks; the edge reads them from the stream as from JSON.
const USAGE_JSON =
  '{"prompt_tokens":9,"completion_tokens":4,' +
  '"prompt_tokens_details":{"cached_tokens":5},"completion_tokens_details":{"reasoning_tokens":2}}';
const usageChunk = (model = 'gpt-4o'): string =>
  `data: {"id":"c1","model":"${model}","choices":[],"usage":${USAGE_JSON}}\n\n`;
const DONE = 'data: [DONE]\n\n';
const STREAMED_USAGE = {
  inputTokens: 9,
  outputTokens: 4,
  cachedInputTokens: 5,
  cacheWriteTokens: 0,
  reasoningTokens: 2,
  images: 0,
  characters: 0,
  audioSeconds: 0,
};
const NO_PARTS = { cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

let served: ServedAnswer | undefined;

afterEach(() => served?.close());

/** Relays the upstream's events (made by `produce`, which sees the client's abort signal) to a real HTTP client. */
async function relayEvents(options: {
  produce: (signal: AbortSignal) => AsyncIterable<string>;
  channel?: PickedChannel;
  /** The client's body; default: a chat stream that did not ask for usage. */
  body?: JsonObject;
  /** The edge's stop, for a spec that stops it mid-stream; default: one that never begins. */
  shutdown?: ShutdownDeadline;
}) {
  const nats = new FakeNatsBus();
  const shutdown = options.shutdown ?? new ShutdownDeadline({ SHUTDOWN_STREAM_DEADLINE_MS: 5000 });
  const sut = new EventStreamAnswer(new OutcomeReporter(nats.bus), shutdown, SILENT_LOGGER);
  served = await serveFinalAnswer({
    deliver: (answer) => sut.deliver(answer),
    exchange: {
      body: options.body ?? { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Hi' }] },
      stream: true,
    },
    channel: options.channel ?? pickedChannel(8, { reportSuccess: true }),
    headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req-3' },
    produce: options.produce,
  });
  return { ...served, reported: () => nats.reportedOutcomes() };
}

/** The outcome of a stream on channel 8 that delivered `text`: the estimated input and the text's tokens charged. */
const chargedFor = (text: string, status = 200) => ({
  status,
  usage: {
    inputTokens: ESTIMATE.inputTokens,
    outputTokens: countText(text),
    ...NO_PARTS,
    images: 0,
    characters: 0,
    audioSeconds: 0,
  },
  channelId: 8,
});

describe(EventStreamAnswer.name, () => {
  it("relays the events as the client's model, without the usage chunk the edge asked for, charged the streamed usage, with the input count it reported", async () => {
    const { response, received, outcome, reported } = await relayEvents({
      channel: pickedChannel(8, { upstreamModel: MAPPED, reportSuccess: true }),
      produce: async function* () {
        yield chunk('Hel', MAPPED);
        yield chunk('lo', MAPPED);
        yield usageChunk(MAPPED);
        yield DONE;
      },
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-request-id': 'req-3',
      'x-tid': TID,
    });
    expect(await received.ended).toEqual({ text: chunk('Hel') + chunk('lo') + DONE, complete: true });
    expect(await outcome).toEqual({ status: 200, usage: STREAMED_USAGE, channelId: 8, reportedInputTokens: 9 });
    expect(reported()).toEqual([
      expect.objectContaining({ channelId: 8, model: 'gpt-4o', status: 200, timedOut: false }),
    ]);
  });

  it('passes the stream byte for byte when the client asked for usage itself; a success on an untracked channel is not reported', async () => {
    const upstream = chunk('Hi') + usageChunk() + DONE;
    const { received, outcome, reported } = await relayEvents({
      channel: pickedChannel(8, { reportSuccess: false }),
      body: { model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [] },
      produce: async function* () {
        yield upstream;
      },
    });

    expect((await received.ended).text).toBe(upstream);
    expect((await outcome).usage).toEqual(STREAMED_USAGE);
    expect(reported()).toEqual([]);
  });

  it('charges what was produced before the upstream broke off (tokens counted), ends in-band, blames the channel', async () => {
    const { received, outcome, reported } = await relayEvents({
      produce: async function* () {
        yield chunk('Hello there');
        throw upstreamError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');
      },
    });

    const { text } = await received.ended;
    expect(text.startsWith(chunk('Hello there'))).toBe(true);
    expect(text).toContain(STREAM_ERROR_CODE);
    expect(await outcome).toEqual(chargedFor('Hello there'));
    expect(reported()).toEqual([expect.objectContaining({ channelId: 8, status: 0, timedOut: true })]);
  });

  it('cuts a stream still running at the shutdown deadline short in-band, charges what it delivered, blames no channel', async () => {
    const shutdown = new ShutdownDeadline({ SHUTDOWN_STREAM_DEADLINE_MS: 50 });
    const { received, outcome, reported } = await relayEvents({
      shutdown,
      produce: async function* (signal) {
        yield chunk('Hello there');
        await untilAborted(signal);
      },
    });

    await received.received(chunk('Hello there'));
    const stopAsked = Date.now();
    shutdown.beforeApplicationShutdown();
    const { text, complete } = await received.ended;
    expect(Date.now() - stopAsked).toBeGreaterThanOrEqual(45);
    expect(complete).toBe(true);
    expect(text).toContain(STREAM_CUT_SHORT_CODE);
    expect(text.endsWith(DONE)).toBe(true);
    expect(await outcome).toEqual(chargedFor('Hello there'));
    expect(reported()).toEqual([expect.objectContaining({ channelId: 8, status: 200 })]);
  });

  it('lets a stream that ends before the shutdown deadline end as it would have', async () => {
    const shutdown = new ShutdownDeadline({ SHUTDOWN_STREAM_DEADLINE_MS: 60_000 });
    shutdown.beforeApplicationShutdown();
    const upstream = chunk('Hello') + DONE;
    const { received, outcome } = await relayEvents({
      shutdown,
      produce: async function* () {
        yield upstream;
      },
    });

    expect((await received.ended).text).toBe(upstream);
    expect((await outcome).status).toBe(200);
  });

  it('charges nothing for a stream that broke off before producing anything', async () => {
    const { received, outcome } = await relayEvents({
      produce: async function* () {
        yield ': keep-alive\n\n';
        throw upstreamError('UND_ERR_SOCKET', 'other side closed');
      },
    });

    await received.ended;
    expect(await outcome).toEqual({ status: 200, usage: null, channelId: 8 });
  });

  it('charges nothing for a stream that ends on an in-band error before producing anything, in any dialect', async () => {
    const overloaded = '{"type":"overloaded_error","message":"Overloaded"}';
    const openAi = await relayEvents({
      produce: async function* () {
        yield `data: {"error":${overloaded}}\n\n`;
        yield DONE;
      },
    });
    await openAi.received.ended;
    expect(await openAi.outcome).toEqual({ status: 200, usage: null, channelId: 8 });
    await openAi.close();

    // Anthropic announces an overload after its 200 and message_start; the translator turns it into OpenAI's in-band error.
    const anthropic = await relayEvents({
      channel: pickedChannel(8, { type: 'anthropic', reportSuccess: true }),
      produce: async function* () {
        yield 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":9,"output_tokens":1}}}\n\n';
        yield `event: error\ndata: {"type":"error","error":${overloaded}}\n\n`;
      },
    });
    const { text } = await anthropic.received.ended;
    expect(text).toContain('"overloaded_error"');
    expect(text).toContain(TID);
    expect(await anthropic.outcome).toEqual({ status: 200, usage: null, channelId: 8 });
  });

  it('stops the upstream when the client leaves, and charges what was produced; the channel is not blamed', async () => {
    let upstreamSignal: AbortSignal | undefined;
    const { received, leave, outcome, reported } = await relayEvents({
      produce: async function* (signal) {
        upstreamSignal = signal;
        yield chunk('Hello');
        await untilAborted(signal);
      },
    });

    await received.received(chunk('Hello'));
    leave();

    expect(await outcome).toEqual(chargedFor('Hello', 499));
    expect(upstreamSignal?.aborted).toBe(true);
    expect(reported()).toEqual([expect.objectContaining({ channelId: 8, status: 200, timedOut: false })]);
  });
});
