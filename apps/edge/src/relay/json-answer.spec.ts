import { describe, expect, it } from '@jest/globals';
import type { PickedChannel } from '@tollgate/contracts';
import { parseJsonObject, type JsonObject } from '@tollgate/providers';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import {
  dialectOf,
  ENDPOINT_USAGE,
  endpointSpec,
  pickedChannel,
  recordingReply,
  relayExchange,
  TID,
  upstreamResponse,
} from '../testing/relay-fixtures.js';
import { JsonAnswer } from './json-answer.js';
import { OutcomeReporter } from './outcome-reporter.js';

const UPSTREAM_HEADERS = {
  'content-type': 'application/json',
  'x-request-id': 'req-1',
  'openai-processing-ms': '42',
  'set-cookie': 'provider-session=1',
};

/** Delivers `raw` as the upstream's final JSON answer to a chat request for gpt-4o. */
function deliver(answer: { status: number; raw: string; channel?: PickedChannel }) {
  const nats = new FakeNatsBus();
  const { reply, record } = recordingReply();
  const usageAskedWith: Array<JsonObject | null> = [];
  const spec = endpointSpec({
    usageFromResponse: (json) => {
      usageAskedWith.push(json);
      return ENDPOINT_USAGE;
    },
  });
  const raw = Buffer.from(answer.raw);
  const exchange = relayExchange({ reply, spec });
  const channel = answer.channel ?? pickedChannel(5);
  const outcome = new JsonAnswer(new OutcomeReporter(nats.bus)).deliver({
    exchange,
    channel,
    ...dialectOf(exchange, channel),
    response: upstreamResponse({ status: answer.status, headers: UPSTREAM_HEADERS }),
    started: performance.now(),
    raw,
    parsed: parseJsonObject(raw),
  });
  return { outcome, record, reported: nats.reportedOutcomes(), usageAskedWith };
}

describe(JsonAnswer.name, () => {
  it("sends a success byte for byte, with the upstream's status and describing headers only, charged as the endpoint reads it, with the input count it reported", () => {
    const raw = '{"id":"c1","model":"gpt-4o","usage":{"prompt_tokens":12}}';

    const { outcome, record, usageAskedWith } = deliver({ status: 200, raw });

    expect(record.status).toBe(200);
    expect(record.headers).toEqual({
      'content-type': 'application/json',
      'x-request-id': 'req-1',
      'openai-processing-ms': '42',
    });
    expect(record.payload).toEqual(Buffer.from(raw));
    expect(usageAskedWith).toEqual([JSON.parse(raw)]);
    expect(outcome).toEqual({ status: 200, usage: ENDPOINT_USAGE, channelId: 5, reportedInputTokens: 12 });
  });

  it('answers with the model the client asked for when the channel maps it to another', () => {
    const channel = pickedChannel(5, { upstreamModel: 'gpt-4o-2024-08-06' });

    const { record } = deliver({ status: 200, raw: '{"id":"c1","model":"gpt-4o-2024-08-06"}', channel });

    expect(JSON.parse(String(record.payload))).toEqual({ id: 'c1', model: 'gpt-4o' });
  });

  it('reports a success only on a channel whose health the router tracks', () => {
    const raw = '{"id":"c1"}';

    expect(deliver({ status: 200, raw, channel: pickedChannel(5, { reportSuccess: false }) }).reported).toEqual([]);
    expect(deliver({ status: 200, raw, channel: pickedChannel(5, { reportSuccess: true }) }).reported).toEqual([
      expect.objectContaining({ channelId: 5, status: 200, errorCode: null, timedOut: false }),
    ]);
  });

  it('passes a 4xx that is not retried through with its status and body, the tid added; nothing charged', () => {
    const raw =
      '{"error":{"message":"Unknown parameter: foo","type":"invalid_request_error","code":"unknown_parameter"}}';

    const { outcome, record, reported, usageAskedWith } = deliver({ status: 400, raw });

    expect(record.status).toBe(400);
    expect(record.headers['content-type']).toBe('application/json');
    expect(JSON.parse(String(record.payload))).toEqual({
      error: { message: 'Unknown parameter: foo', type: 'invalid_request_error', code: 'unknown_parameter', tid: TID },
    });
    expect(outcome).toEqual({ status: 400, usage: null, channelId: 5 });
    expect(usageAskedWith).toEqual([]);
    expect(reported).toEqual([expect.objectContaining({ channelId: 5, status: 400, errorCode: 'unknown_parameter' })]);
  });

  it('wraps an error body that is not OpenAI-shaped in the OpenAI error shape', () => {
    const { record } = deliver({ status: 404, raw: 'no such route' });

    expect(JSON.parse(String(record.payload))).toEqual({
      error: { message: 'no such route', type: 'upstream_error', param: null, code: null, tid: TID },
    });
  });
});
