import { describe, expect, it } from '@jest/globals';
import {
  BillingSubjects,
  ok,
  refused,
  RouterSubjects,
  type Hold,
  type PickedChannel,
  type Reply,
} from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { ServiceUnavailableError } from '@tollgate/nats';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { FakeSettlementPublisher } from '../testing/fake-settlement-publisher.js';
import { principal } from '../testing/principal-fixture.js';
import { ESTIMATE, HOLD_INPUT_MARGIN, pickedChannel, TID, routerAskingPicker } from '../testing/relay-fixtures.js';
import { HoldSettler } from './hold-settler.js';
import { InputTokenRatios } from './input-token-ratios.js';
import { RequestAdmission } from './request-admission.js';

const query = {
  principal: principal({ rpmLimit: 60, budgetMicros: '5000000' }),
  model: 'gpt-4o',
  endpoint: 'chat.completions' as const,
  estimate: ESTIMATE,
  tid: TID,
};
const denied = (reason: DenialReason) => expect.objectContaining({ denial: { reason } });

/** Billing holding what it was asked to, under the edge's hold id. */
const held = (request: { holdId: string }): Reply<Hold> => ok({ holdId: request.holdId, amountMicros: '1500' });

function setup(nats: FakeNatsBus) {
  const publisher = new FakeSettlementPublisher();
  const ratios = new InputTokenRatios({ HOLD_INPUT_MARGIN });
  const sut = new RequestAdmission(
    routerAskingPicker(nats.bus),
    new HoldSettler(publisher.publisher),
    ratios,
    nats.bus,
  );
  return { sut, ratios, released: publisher.published };
}

/** The estimate as billing is asked to hold it: the contract's fields, the input scaled by `ratio`. */
const heldEstimate = (ratio: number) => ({
  inputTokens: Math.ceil(ESTIMATE.inputTokens * ratio),
  outputTokens: ESTIMATE.outputTokens,
  images: ESTIMATE.images,
  imageSize: ESTIMATE.imageSize,
  characters: ESTIMATE.characters,
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe(RequestAdmission.name, () => {
  it('asks router and billing at the same time, before either has answered', async () => {
    const pick = deferred<Reply<PickedChannel>>();
    const reserve = deferred<Reply<Hold>>();
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => pick.promise)
      .answer(BillingSubjects.reserve, () => reserve.promise);
    const { sut } = setup(nats);

    const admitted = sut.admit(query);
    expect(nats.requests.map((request) => request.subject)).toEqual([
      RouterSubjects.pick.name,
      BillingSubjects.reserve.name,
    ]);

    pick.resolve(ok(pickedChannel(4)));
    reserve.resolve(ok({ holdId: 'h', amountMicros: '1500' }));
    await expect(admitted).resolves.toEqual({ first: pickedChannel(4), hold: { holdId: 'h', amountMicros: '1500' } });
  });

  it("holds the estimate under a hold id of the edge's choosing, with the key's limits, and releases nothing", async () => {
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => ok(pickedChannel(4)))
      .answer(BillingSubjects.reserve, held);
    const { sut, released } = setup(nats);

    const { first, hold } = await sut.admit(query);

    const [reserve] = nats.requested(BillingSubjects.reserve);
    expect(reserve).toEqual({
      holdId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: 'user-1',
      keyId: 'key-1',
      keySuffix: 'a1B2c3',
      group: 'default',
      model: 'gpt-4o',
      rpmLimit: 60,
      budgetMicros: '5000000',
      estimate: heldEstimate(HOLD_INPUT_MARGIN),
    });
    expect(first).toEqual(pickedChannel(4));
    expect(hold.holdId).toBe(reserve.holdId);
    expect(nats.requested(RouterSubjects.pick)).toEqual([
      { model: 'gpt-4o', endpoint: 'chat.completions', group: 'default', pinnedChannel: null, excludeChannelIds: [] },
    ]);
    expect(released).toEqual([]);
  });

  it("holds the input at the model's learned ratio once an upstream has reported a count for it", async () => {
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => ok(pickedChannel(4)))
      .answer(BillingSubjects.reserve, held);
    const { sut, ratios } = setup(nats);
    ratios.learn('gpt-4o', ESTIMATE, 21);
    ratios.learn('other-model', ESTIMATE, 48);

    await sut.admit(query);

    expect(nats.requested(BillingSubjects.reserve)[0]?.estimate).toEqual({ ...heldEstimate(1), inputTokens: 21 });
  });

  it("releases the hold of a request the router refused, with the refusal's status, and throws the refusal", async () => {
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => refused({ reason: DenialReason.ChannelDisabled }))
      .answer(BillingSubjects.reserve, held);
    const { sut, released } = setup(nats);

    await expect(sut.admit(query)).rejects.toEqual(denied(DenialReason.ChannelDisabled));

    const [{ holdId }] = nats.requested(BillingSubjects.reserve);
    expect(released).toEqual([
      expect.objectContaining({ holdId, tid: TID, channelId: null, succeeded: false, httpStatus: 403 }),
    ]);
  });

  it('releases the hold when the router did not answer, as a 503, and throws what the bus threw', async () => {
    const unavailable = new ServiceUnavailableError(RouterSubjects.pick.name, new Error('timed out'));
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => Promise.reject(unavailable))
      .answer(BillingSubjects.reserve, held);
    const { sut, released } = setup(nats);

    await expect(sut.admit(query)).rejects.toBe(unavailable);
    expect(released).toEqual([expect.objectContaining({ succeeded: false, httpStatus: 503 })]);
  });

  it("puts the router's refusal before billing's (channel errors → 429 → quota)", async () => {
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => refused({ reason: DenialReason.NoAvailableChannel }))
      .answer(BillingSubjects.reserve, () => refused({ reason: DenialReason.TooManyRequests }));
    const { sut, released } = setup(nats);

    await expect(sut.admit(query)).rejects.toEqual(denied(DenialReason.NoAvailableChannel));
    expect(released).toEqual([]);
  });

  it("throws billing's refusal when the router found a channel; no hold exists to release", async () => {
    const nats = new FakeNatsBus()
      .answer(RouterSubjects.pick, () => ok(pickedChannel(4)))
      .answer(BillingSubjects.reserve, () => refused({ reason: DenialReason.InsufficientUserQuota }));
    const { sut, released } = setup(nats);

    await expect(sut.admit(query)).rejects.toEqual(denied(DenialReason.InsufficientUserQuota));
    expect(released).toEqual([]);
  });

  it("releases the hold id it chose when billing's answer is lost (the hold may exist all the same), once", async () => {
    for (const pickReply of [ok(pickedChannel(4)), refused({ reason: DenialReason.NoAvailableChannel })]) {
      const lost = new ServiceUnavailableError(BillingSubjects.reserve.name, new Error('timed out'));
      const nats = new FakeNatsBus()
        .answer(RouterSubjects.pick, () => pickReply)
        .answer(BillingSubjects.reserve, () => Promise.reject(lost));
      const { sut, released } = setup(nats);

      await expect(sut.admit(query)).rejects.toEqual(pickReply.ok ? lost : denied(DenialReason.NoAvailableChannel));

      const [{ holdId }] = nats.requested(BillingSubjects.reserve);
      expect(released).toEqual([expect.objectContaining({ holdId, succeeded: false, httpStatus: 503 })]);
    }
  });
});
