import { describe, expect, it } from '@jest/globals';
import type { PickedChannel } from '@tollgate/contracts';
import type { UpstreamResult } from '@tollgate/providers';
import type { EdgeConfig } from '../edge.config.js';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { FakeUpstreamClient } from '../testing/fake-upstream-client.js';
import {
  ENDPOINT_USAGE,
  pickedChannel,
  relayExchange,
  SILENT_LOGGER,
  upstreamError,
  upstreamResponse,
} from '../testing/relay-fixtures.js';
import type { BinaryAnswer } from './binary-answer.js';
import type { EventStreamAnswer } from './event-stream-answer.js';
import type { JsonAnswer, JsonAnswerBody } from './json-answer.js';
import { OutcomeReporter } from './outcome-reporter.js';
import type { Exchange, FinalAnswer, RelayOutcome } from './relay-exchange.js';
import { UpstreamAttempt } from './upstream-attempt.js';

type Delivered = { kind: 'json'; answer: JsonAnswerBody } | { kind: 'binary' | 'events'; answer: FinalAnswer };

/** The three final answers, recording what they were handed (each has its own spec). */
function fakeAnswers() {
  const delivered: Delivered[] = [];
  const outcomeOf = (answer: FinalAnswer): RelayOutcome => ({
    status: answer.response.status,
    usage: ENDPOINT_USAGE,
    channelId: answer.channel.channelId,
  });
  const json = {
    deliver: (answer: JsonAnswerBody) => {
      delivered.push({ kind: 'json', answer });
      return outcomeOf(answer);
    },
  };
  const final = (kind: 'binary' | 'events') => ({
    deliver: async (answer: FinalAnswer) => {
      delivered.push({ kind, answer });
      return outcomeOf(answer);
    },
  });
  return {
    delivered,
    json: json as unknown as JsonAnswer,
    binary: final('binary') as unknown as BinaryAnswer,
    events: final('events') as unknown as EventStreamAnswer,
  };
}

/** One attempt (on channel 3 unless told) whose upstream answers with `answer`; a function sees the exchange, to make its client leave. */
async function attempt(
  answer: UpstreamResult | ((exchange: Exchange) => UpstreamResult),
  { exchange = relayExchange(), channel = pickedChannel(3) }: { exchange?: Exchange; channel?: PickedChannel } = {},
) {
  const nats = new FakeNatsBus();
  const upstream = new FakeUpstreamClient(() => (typeof answer === 'function' ? answer(exchange) : answer));
  const answers = fakeAnswers();
  const sut = new UpstreamAttempt(
    upstream.client,
    new OutcomeReporter(nats.bus),
    answers.json,
    answers.binary,
    answers.events,
    { DEFAULT_MAX_OUTPUT_TOKENS: 4096 } as EdgeConfig,
    SILENT_LOGGER,
  );
  const result = await sut.run(exchange, channel);
  return { result, sent: upstream.sent, delivered: answers.delivered, reported: nats.reportedOutcomes() };
}

const leave = (exchange: Exchange): boolean => exchange.reply.raw.emit('close');
const JSON_HEADERS = { 'content-type': 'application/json' };

describe(UpstreamAttempt.name, () => {
  it("sends the body under the channel's model name to the endpoint's path, with the client's abort signal", async () => {
    const exchange = relayExchange({ body: { model: 'gpt-4o', messages: [] } });
    const channel = pickedChannel(3, { upstreamModel: 'gpt-4o-2024-08-06' });

    const { sent } = await attempt(upstreamResponse({ status: 200, headers: JSON_HEADERS, body: '{}' }), {
      exchange,
      channel,
    });

    const body = JSON.stringify({ model: 'gpt-4o-2024-08-06', messages: [] });
    expect(sent).toEqual([
      {
        call: {
          method: 'POST',
          url: 'https://upstream.invalid/v1/chat/completions',
          headers: expect.objectContaining({ authorization: 'Bearer sk-upstream-3' }),
          body,
        },
        channel,
        body,
        signal: exchange.client.signal,
      },
    ]);
  });

  it('addresses an azure channel through its adapter: the deployment URL, api-version and the api-key header', async () => {
    const channel = pickedChannel(4, {
      type: 'azure',
      baseUrl: 'https://tollgate-test.openai.azure.com',
      apiVersion: '2025-04-01-preview',
      upstreamModel: 'gpt4o-prod',
    });

    const { sent } = await attempt(upstreamResponse({ status: 200, headers: JSON_HEADERS, body: '{}' }), { channel });

    expect(sent[0]?.call.url).toBe(
      'https://tollgate-test.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-04-01-preview',
    );
    expect(sent[0]?.call.headers).toMatchObject({ 'api-key': 'sk-upstream-4' });
    expect(sent[0]?.call.headers).not.toHaveProperty('authorization');
  });

  it.each([429, 500, 502, 503, 401, 403])(
    'gives a %i back for a retry before anything is sent, reported with its Retry-After and error code',
    async (status) => {
      const { result, delivered, reported } = await attempt(
        upstreamResponse({
          status,
          headers: { ...JSON_HEADERS, 'retry-after': '20' },
          body: '{"error":{"message":"slow down","code":"rate_limit_exceeded"}}',
        }),
      );

      expect(result).toEqual({ failed: { kind: 'status', status, retryAfterSeconds: 20 } });
      expect(delivered).toEqual([]);
      expect(reported).toEqual([
        expect.objectContaining({ channelId: 3, status, retryAfterSeconds: 20, errorCode: 'rate_limit_exceeded' }),
      ]);
    },
  );

  it('gives a connection failure or a timeout back for a retry, reported as status 0', async () => {
    for (const timedOut of [false, true]) {
      const { result, delivered, reported } = await attempt({ kind: 'failure', timedOut, reason: 'connect failed' });

      expect(result).toEqual({ failed: { kind: 'network', timedOut } });
      expect(delivered).toEqual([]);
      expect(reported).toEqual([expect.objectContaining({ channelId: 3, status: 0, timedOut })]);
    }
  });

  it('gives a JSON answer that breaks off while read back for a retry: nothing was sent yet', async () => {
    for (const [code, timedOut] of [
      ['ECONNRESET', false],
      ['UND_ERR_BODY_TIMEOUT', true],
    ] as const) {
      const { result, delivered, reported } = await attempt(
        upstreamResponse({
          status: 200,
          headers: JSON_HEADERS,
          body: (function* () {
            yield '{"id":"c1",';
            throw upstreamError(code);
          })(),
        }),
      );

      expect(result).toEqual({ failed: { kind: 'network', timedOut } });
      expect(delivered).toEqual([]);
      expect(reported).toEqual([expect.objectContaining({ channelId: 3, status: 0, timedOut })]);
    }
  });

  it.each([400, 404, 422])('passes a %i through to the client as a final JSON answer: not retried', async (status) => {
    const raw = '{"error":{"message":"bad","code":"invalid_value"}}';

    const { result, delivered, reported } = await attempt(
      upstreamResponse({ status, headers: JSON_HEADERS, body: raw }),
    );

    expect(result).toEqual({ done: { status, usage: ENDPOINT_USAGE, channelId: 3 } });
    expect(delivered).toEqual([
      {
        kind: 'json',
        answer: expect.objectContaining({ channel: pickedChannel(3), raw: Buffer.from(raw), parsed: JSON.parse(raw) }),
      },
    ]);
    expect(reported).toEqual([]); // the answer reports it, once
  });

  it('reads a JSON success whole and hands it to the JSON answer; an error body that is not JSON is not parsed', async () => {
    const ok = await attempt(upstreamResponse({ status: 200, headers: JSON_HEADERS, body: '{"id":"c1"}' }));
    const text = await attempt(
      upstreamResponse({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'no such thing' }),
    );

    expect(ok.delivered).toEqual([{ kind: 'json', answer: expect.objectContaining({ parsed: { id: 'c1' } }) }]);
    expect(text.delivered).toEqual([
      { kind: 'json', answer: expect.objectContaining({ raw: Buffer.from('no such thing'), parsed: null }) },
    ]);
  });

  it('relays an event stream the client asked for as events; any other answer that is not JSON as bytes', async () => {
    const events = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'data: [DONE]\n\n' };

    const stream = await attempt(upstreamResponse(events), { exchange: relayExchange({ stream: true }) });
    const unasked = await attempt(upstreamResponse(events), { exchange: relayExchange({ stream: false }) });
    const audio = await attempt(
      upstreamResponse({ status: 200, headers: { 'content-type': 'audio/mpeg' }, body: 'ID3' }),
    );

    expect(stream.delivered.map((delivery) => delivery.kind)).toEqual(['events']);
    expect(unasked.delivered.map((delivery) => delivery.kind)).toEqual(['binary']);
    expect(audio.delivered.map((delivery) => delivery.kind)).toEqual(['binary']);
    expect(stream.result).toEqual({ done: { status: 200, usage: ENDPOINT_USAGE, channelId: 3 } });
  });

  it('drops the answer of a client that left while the upstream was asked: 499, nothing sent or reported', async () => {
    const response = upstreamResponse({ status: 200, headers: JSON_HEADERS, body: '{}' });

    const { result, delivered, reported } = await attempt((exchange) => {
      leave(exchange);
      return response;
    });

    expect(result).toEqual({ done: { status: 499, usage: null, channelId: 3 } });
    expect(response.body.destroyed).toBe(true);
    expect(delivered).toEqual([]);
    expect(reported).toEqual([]);
  });

  it('ends with a 499, not a retry, when the client leaves while a JSON answer is read', async () => {
    const { result, reported } = await attempt((exchange) =>
      upstreamResponse({
        status: 200,
        headers: JSON_HEADERS,
        body: (function* () {
          yield '{"id":';
          leave(exchange);
          throw upstreamError('UND_ERR_ABORTED');
        })(),
      }),
    );

    expect(result).toEqual({ done: { status: 499, usage: null, channelId: 3 } });
    expect(reported).toEqual([]);
  });
});
