import { afterEach, describe, expect, it } from '@jest/globals';
import type { PickedChannel } from '@tollgate/contracts';
import type { JsonObject } from '../openai/body-fields.js';
import { serveFinalAnswer, untilAborted, type ServedAnswer } from '../testing/answer-server.js';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import {
  ENDPOINT_USAGE,
  endpointSpec,
  pickedChannel,
  SILENT_LOGGER,
  TID,
  upstreamError,
} from '../testing/relay-fixtures.js';
import { BinaryAnswer } from './binary-answer.js';
import { OutcomeReporter } from './outcome-reporter.js';

const AUDIO = 'ID3abc';
const UPSTREAM_HEADERS = { 'content-type': 'audio/mpeg', 'x-request-id': 'req-9', 'set-cookie': 'provider=1' };

let served: ServedAnswer | undefined;

afterEach(() => served?.close());

/** Relays the upstream's audio (made by `produce`, which sees the client's abort signal) to a real HTTP client. */
async function relayAudio(options: {
  produce: (signal: AbortSignal) => AsyncIterable<string>;
  headers?: Record<string, string>;
  channel?: PickedChannel;
}) {
  const nats = new FakeNatsBus();
  const usageAskedWith: Array<JsonObject | null> = [];
  const spec = endpointSpec({
    endpoint: 'audio.speech',
    streams: false,
    usageFromResponse: (json) => {
      usageAskedWith.push(json);
      return ENDPOINT_USAGE;
    },
  });
  const sut = new BinaryAnswer(new OutcomeReporter(nats.bus), SILENT_LOGGER);
  served = await serveFinalAnswer({
    deliver: (answer) => sut.deliver(answer),
    exchange: { spec, body: { model: 'tts-1', input: 'Hi', voice: 'alloy' } },
    channel: options.channel ?? pickedChannel(6, { upstreamModel: 'tts-1', reportSuccess: true }),
    headers: options.headers ?? UPSTREAM_HEADERS,
    produce: options.produce,
  });
  return { ...served, reported: () => nats.reportedOutcomes(), usageAskedWith };
}

describe(BinaryAnswer.name, () => {
  it('pipes the audio through with its status, length and describing headers, and the tid; charged whole', async () => {
    const { response, received, outcome, reported, usageAskedWith } = await relayAudio({
      headers: { ...UPSTREAM_HEADERS, 'content-length': String(AUDIO.length) },
      produce: async function* () {
        yield AUDIO.slice(0, 3);
        yield AUDIO.slice(3);
      },
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'audio/mpeg',
      'content-length': String(AUDIO.length),
      'x-request-id': 'req-9',
      'x-tid': TID,
    });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(await received.ended).toEqual({ text: AUDIO, complete: true });
    expect(await outcome).toEqual({ status: 200, usage: ENDPOINT_USAGE, channelId: 6 });
    expect(usageAskedWith).toEqual([null]);
    expect(reported()).toEqual([
      expect.objectContaining({ channelId: 6, model: 'tts-1', status: 200, timedOut: false }),
    ]);
  });

  it('reports a success only on a channel whose health the router tracks', async () => {
    const { received, outcome, reported } = await relayAudio({
      channel: pickedChannel(6, { reportSuccess: false }),
      produce: async function* () {
        yield AUDIO;
      },
    });

    await received.ended;
    expect((await outcome).usage).toEqual(ENDPOINT_USAGE);
    expect(reported()).toEqual([]);
  });

  it('charges nothing for audio the upstream broke off, and reports the channel as failed (timed out)', async () => {
    const { received, outcome, reported, usageAskedWith } = await relayAudio({
      produce: async function* () {
        yield AUDIO.slice(0, 3);
        throw upstreamError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');
      },
    });

    expect(await outcome).toEqual({ status: 200, usage: null, channelId: 6 });
    expect((await received.ended).complete).toBe(false);
    expect(usageAskedWith).toEqual([]);
    expect(reported()).toEqual([expect.objectContaining({ channelId: 6, status: 0, timedOut: true })]);
  });

  it('charges nothing when the client leaves mid-transfer; the channel answered, so it is not blamed', async () => {
    const { received, leave, outcome, reported } = await relayAudio({
      produce: async function* (signal) {
        yield AUDIO.slice(0, 3);
        await untilAborted(signal);
      },
    });

    await received.received(AUDIO.slice(0, 3));
    leave();

    expect(await outcome).toEqual({ status: 499, usage: null, channelId: 6 });
    expect(reported()).toEqual([expect.objectContaining({ channelId: 6, status: 200, timedOut: false })]);
  });
});
