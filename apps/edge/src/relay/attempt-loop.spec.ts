import { describe, expect, it } from '@jest/globals';
import { ok, refused, RouterSubjects, type PickedChannel, type PickRequest, type Reply } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { ServiceUnavailableError } from '@tollgate/nats';
import type { EdgeConfig } from '../edge.config.js';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import {
  ENDPOINT_USAGE,
  pickedChannel,
  relayExchange,
  SILENT_LOGGER,
  routerAskingPicker,
} from '../testing/relay-fixtures.js';
import { AttemptLoop } from './attempt-loop.js';
import type { Exchange, RelayOutcome } from './relay-exchange.js';
import type { AttemptResult, UpstreamAttempt } from './upstream-attempt.js';

const CONFIG = { UPSTREAM_MAX_RETRIES: 2 } as EdgeConfig;
const delivered = (channelId: number): RelayOutcome => ({ status: 200, usage: ENDPOINT_USAGE, channelId });
const BAD_GATEWAY: AttemptResult = { failed: { kind: 'status', status: 502, retryAfterSeconds: null } };
const denied = (reason: DenialReason, params?: object) =>
  expect.objectContaining({ denial: params ? { reason, params } : { reason } });

/**
 * The loop with attempts that end as `results` says, one per attempt (a
 * function sees the exchange, to make its client leave), and a router that
 * answers every retry's pick with the next channel (2, 3, …) unless `pick` says otherwise.
 */
function loop(
  results: Array<AttemptResult | ((exchange: Exchange) => AttemptResult)>,
  pick: (request: PickRequest) => Reply<PickedChannel> | Promise<Reply<PickedChannel>> = (request) =>
    ok(pickedChannel(request.excludeChannelIds.length + 1)),
) {
  const tried: number[] = [];
  const attempts = {
    run: async (exchange: Exchange, channel: PickedChannel): Promise<AttemptResult> => {
      tried.push(channel.channelId);
      const result = results.shift();
      if (!result) throw new Error(`the test expected no attempt on channel ${channel.channelId}`);
      return typeof result === 'function' ? result(exchange) : result;
    },
  };
  const nats = new FakeNatsBus().answer(RouterSubjects.pick, pick);
  const sut = new AttemptLoop(attempts as UpstreamAttempt, routerAskingPicker(nats.bus), CONFIG, SILENT_LOGGER);
  return {
    forward: (first: PickedChannel = pickedChannel(1)) => sut.forward(relayExchange(), first),
    tried,
    picks: () => nats.requested(RouterSubjects.pick).map((request) => request.excludeChannelIds),
  };
}

describe(AttemptLoop.name, () => {
  it('returns the first final answer without asking the router again', async () => {
    const { forward, tried, picks } = loop([{ done: delivered(1) }]);

    await expect(forward()).resolves.toEqual(delivered(1));
    expect(tried).toEqual([1]);
    expect(picks()).toEqual([]);
  });

  it('after a retryable failure, tries a channel the request has not tried yet', async () => {
    const { forward, tried, picks } = loop([
      BAD_GATEWAY,
      { failed: { kind: 'network', timedOut: true } },
      { done: delivered(3) },
    ]);

    await expect(forward()).resolves.toEqual(delivered(3));
    expect(tried).toEqual([1, 2, 3]);
    expect(picks()).toEqual([[1], [1, 2]]);
  });

  it("gives up after UPSTREAM_MAX_RETRIES retries with the last failure's error", async () => {
    const { forward, tried } = loop([
      BAD_GATEWAY,
      BAD_GATEWAY,
      { failed: { kind: 'status', status: 429, retryAfterSeconds: 30 } },
    ]);

    await expect(forward()).rejects.toEqual(denied(DenialReason.ProviderRateLimited, { retryAfterSeconds: 30 }));
    expect(tried).toEqual([1, 2, 3]);
  });

  it('does not retry the failure of a pinned channel: it is the only one the client may use', async () => {
    const { forward, tried, picks } = loop([{ failed: { kind: 'network', timedOut: true } }]);

    await expect(forward(pickedChannel(1, { pinned: true }))).rejects.toEqual(denied(DenialReason.UpstreamTimeout));
    expect(tried).toEqual([1]);
    expect(picks()).toEqual([]);
  });

  it("ends when the router has no other channel, with the last upstream failure's error rather than the router's", async () => {
    const { forward, tried } = loop([BAD_GATEWAY], () => refused({ reason: DenialReason.NoAvailableChannel }));

    await expect(forward()).rejects.toEqual(denied(DenialReason.UpstreamUnavailable));
    expect(tried).toEqual([1]);
  });

  it('stops with a 499 on the channel last tried when the client left during a failed attempt', async () => {
    const { forward, picks } = loop([
      BAD_GATEWAY,
      (exchange) => {
        exchange.reply.raw.emit('close');
        return BAD_GATEWAY;
      },
    ]);

    await expect(forward()).resolves.toEqual({ status: 499, usage: null, channelId: 2 });
    expect(picks()).toEqual([[1]]);
  });

  it('fails the request when the router does not answer a retry', async () => {
    const unavailable = new ServiceUnavailableError(RouterSubjects.pick.name, new Error('timed out'));
    const { forward } = loop([BAD_GATEWAY], () => Promise.reject(unavailable));

    await expect(forward()).rejects.toBe(unavailable);
  });
});
