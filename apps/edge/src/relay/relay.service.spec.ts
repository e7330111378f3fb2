import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import {
  BillingSubjects,
  ok,
  refused,
  RouterSubjects,
  type Hold,
  type PickedChannel,
  type Principal,
  type Reply,
} from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { StoredResponses } from '../dialects/stored-responses.js';
import type { EdgeConfig } from '../edge.config.js';
import type { EndpointSpec } from '../openai/endpoint.js';
import type { PrincipalService } from '../principal/principal.service.js';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { FakeSettlementPublisher } from '../testing/fake-settlement-publisher.js';
import { principal } from '../testing/principal-fixture.js';
import {
  edgeGrants,
  ENDPOINT_USAGE,
  endpointSpec,
  ESTIMATE,
  HOLD_INPUT_MARGIN,
  pickedChannel,
  recordingReply,
  TID,
  routerAskingPicker,
} from '../testing/relay-fixtures.js';
import type { AttemptLoop } from './attempt-loop.js';
import { HoldSettler } from './hold-settler.js';
import { InputTokenRatios } from './input-token-ratios.js';
import type { Exchange, RelayOutcome } from './relay-exchange.js';
import { RelayService } from './relay.service.js';
import { RequestAdmission } from './request-admission.js';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };
const RATE_LIMIT = { limit: 60, remaining: 59, resetSeconds: 42 };
const denied = (reason: DenialReason) => expect.objectContaining({ denial: expect.objectContaining({ reason }) });

interface Setup {
  /** What auth answers; default: the caller is accepted. */
  authenticate?: () => Promise<Principal>;
  pick?: () => Reply<PickedChannel>;
  reserve?: (request: { holdId: string }) => Reply<Hold>;
  /** How the attempts end; default: channel 4 delivers ENDPOINT_USAGE. */
  forward?: (exchange: Exchange) => Promise<RelayOutcome>;
}

/**
 * The relay with auth and the attempts faked, and the admission and the
 * settlement real over a fake bus and publisher: what reaches router and
 * billing, and what is settled, is what a request really causes.
 */
function relay(setup: Setup = {}) {
  const authenticatedFor: Array<string | null> = [];
  const principals = {
    authenticate: (_request: FastifyRequest, model: string | null) => {
      authenticatedFor.push(model);
      return setup.authenticate?.() ?? Promise.resolve(principal());
    },
  };
  const nats = new FakeNatsBus()
    .answer(RouterSubjects.pick, setup.pick ?? (() => ok(pickedChannel(4))))
    .answer(
      BillingSubjects.reserve,
      setup.reserve ?? ((request) => ok({ holdId: request.holdId, amountMicros: '1500' })),
    );
  const publisher = new FakeSettlementPublisher();
  const holds = new HoldSettler(publisher.publisher);
  const forwarded: Array<{ exchange: Exchange; first: PickedChannel }> = [];
  const attempts = {
    forward: (exchange: Exchange, first: PickedChannel) => {
      forwarded.push({ exchange, first });
      return (
        setup.forward?.(exchange) ?? Promise.resolve({ status: 200, usage: ENDPOINT_USAGE, channelId: first.channelId })
      );
    },
  };
  const ratios = new InputTokenRatios({ HOLD_INPUT_MARGIN });
  const picker = routerAskingPicker(nats.bus);
  const sut = new RelayService(
    principals as unknown as PrincipalService,
    new RequestAdmission(picker, holds, ratios, edgeGrants(nats.bus), nats.bus),
    picker,
    attempts as unknown as AttemptLoop,
    holds,
    ratios,
    {} as StoredResponses,
    {} as EdgeConfig,
  );
  const { reply, record } = recordingReply();
  return {
    send: (body: unknown, spec: EndpointSpec = endpointSpec()) =>
      sut.relay(
        spec,
        { tid: TID, body, rawBody: Buffer.from(JSON.stringify(body)), headers: {} } as unknown as FastifyRequest,
        reply,
      ),
    record,
    authenticatedFor,
    asked: () => nats.requests.map((request) => request.subject),
    forwarded,
    heldIds: () => nats.requested(BillingSubjects.reserve).map((request) => request.holdId),
    heldInput: () => nats.requested(BillingSubjects.reserve).map((request) => request.estimate.inputTokens),
    settled: publisher.published,
  };
}

describe(RelayService.name, () => {
  it('authenticates first: a refused key is refused before a body that is not JSON, or a missing model', async () => {
    for (const body of ['not an object', { messages: [] }]) {
      const { send, asked, settled } = relay({
        authenticate: () => Promise.reject(new DenialException(DenialReason.InvalidAccessToken)),
      });

      await expect(send(body)).rejects.toEqual(denied(DenialReason.InvalidAccessToken));
      expect(asked()).toEqual([]);
      expect(settled).toEqual([]);
    }
  });

  it("authenticates for the body's model, or the endpoint's default when the body names none", async () => {
    const named = relay();
    const unnamed = relay();

    await named.send(CHAT);
    await unnamed.send({ prompt: 'a cat' }, endpointSpec({ defaultModel: 'dall-e-2' }));

    expect(named.authenticatedFor).toEqual(['gpt-4o']);
    expect(unnamed.authenticatedFor).toEqual(['dall-e-2']);
  });

  it('refuses a body that is not a JSON object, a missing model, or a body the endpoint rejects, before router and billing', async () => {
    const rejecting = endpointSpec({
      validate: () => {
        throw new DenialException(DenialReason.PromptMissing);
      },
    });
    for (const [body, spec, reason] of [
      ['not an object', endpointSpec(), DenialReason.InvalidRequest],
      [{ messages: [] }, endpointSpec(), DenialReason.InvalidRequest],
      [CHAT, rejecting, DenialReason.PromptMissing],
    ] as const) {
      const { send, asked, settled } = relay();

      await expect(send(body, spec)).rejects.toEqual(denied(reason));
      expect(asked()).toEqual([]);
      expect(settled).toEqual([]);
    }
  });

  it("refuses with the router's or billing's denial before any upstream is called", async () => {
    const { send, forwarded } = relay({ reserve: () => refused({ reason: DenialReason.TooManyRequests }) });

    await expect(send(CHAT)).rejects.toEqual(denied(DenialReason.TooManyRequests));
    expect(forwarded).toEqual([]);
  });

  it("forwards the admitted request from the router's channel, with the key's RateLimit headers", async () => {
    const { send, forwarded, record } = relay({
      reserve: (request) => ok({ holdId: request.holdId, amountMicros: '1500', rateLimit: RATE_LIMIT }),
    });

    await send({ ...CHAT, stream: true });

    expect(forwarded).toEqual([
      {
        first: pickedChannel(4),
        exchange: expect.objectContaining({
          model: 'gpt-4o',
          principal: principal(),
          stream: true,
          body: { ...CHAT, stream: true },
        }),
      },
    ]);
    expect(record.headers).toEqual({ 'ratelimit-limit': '60', 'ratelimit-remaining': '59', 'ratelimit-reset': '42' });
  });

  it('streams only on an endpoint that streams, and sets no RateLimit headers billing did not give', async () => {
    const { send, forwarded, record } = relay();

    await send({ ...CHAT, stream: true }, endpointSpec({ streams: false }));

    expect(forwarded[0].exchange.stream).toBe(false);
    expect(record.headers).toEqual({});
  });

  it("settles the hold once with what the attempts delivered, under the hold's id", async () => {
    const { send, settled, heldIds } = relay();

    await send({ ...CHAT, stream: true });

    expect(settled).toEqual([
      {
        holdId: heldIds()[0],
        tid: TID,
        userId: 'user-1',
        keyId: 'key-1',
        model: 'gpt-4o',
        channelId: 4,
        succeeded: true,
        usage: ENDPOINT_USAGE,
        httpStatus: 200,
        latencyMs: expect.any(Number),
        stream: true,
      },
    ]);
  });

  it("learns the model's input ratio from a request whose upstream reported its input count", async () => {
    const reported = [undefined, 30];
    const { send, heldInput } = relay({
      forward: () =>
        Promise.resolve({ status: 200, usage: ENDPOINT_USAGE, channelId: 4, reportedInputTokens: reported.shift() }),
    });

    for (let i = 0; i < 3; i++) await send(CHAT);

    // No report: the next hold is still at the margin; 30 reported for 12 counted: the next one holds 30.
    const atMargin = Math.ceil(ESTIMATE.inputTokens * HOLD_INPUT_MARGIN);
    expect(heldInput()).toEqual([atMargin, atMargin, 30]);
  });

  it('learns nothing from a request that delivered nothing', async () => {
    const { send, heldInput } = relay({
      forward: () => Promise.resolve({ status: 499, usage: null, channelId: 4, reportedInputTokens: 60 }),
    });

    await send(CHAT);
    await send(CHAT);

    const atMargin = Math.ceil(ESTIMATE.inputTokens * HOLD_INPUT_MARGIN);
    expect(heldInput()).toEqual([atMargin, atMargin]);
  });

  it('settles once as a release when the attempts end in a denial (its status) or an unexpected error (500)', async () => {
    for (const [failure, httpStatus] of [
      [new DenialException(DenialReason.UpstreamUnavailable), 502],
      [new Error('bug'), 500],
    ] as const) {
      const { send, settled } = relay({ forward: () => Promise.reject(failure) });

      await expect(send(CHAT)).rejects.toBe(failure);
      expect(settled).toEqual([
        expect.objectContaining({
          channelId: 4,
          succeeded: false,
          httpStatus,
          usage: expect.objectContaining({ outputTokens: 0 }),
        }),
      ]);
    }
  });

  it('settles a request whose client left (nothing delivered) as a release with status 499', async () => {
    const { send, settled } = relay({ forward: async () => ({ status: 499, usage: null, channelId: 4 }) });

    await send(CHAT);

    expect(settled).toEqual([expect.objectContaining({ succeeded: false, httpStatus: 499, channelId: 4 })]);
  });
});
