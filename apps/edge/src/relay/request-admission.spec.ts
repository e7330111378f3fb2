import { describe, expect, it } from '@jest/globals';
import { JetStreamApiError } from '@nats-io/jetstream';
import {
  AuthSubjects,
  BillingSubjects,
  ok,
  refused,
  RouterSubjects,
  type AcquireGrantRequest,
  type AdmissionRecord,
  type GrantAnswer,
  type Hold,
  type PickedChannel,
  type Reply,
  type ReturnGrantsResult,
} from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { ServiceUnavailableError } from '@tollgate/nats';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { FakeSettlementPublisher } from '../testing/fake-settlement-publisher.js';
import { principal } from '../testing/principal-fixture.js';
import {
  edgeGrants,
  ESTIMATE,
  HOLD_INPUT_MARGIN,
  pickedChannel,
  TID,
  routerAskingPicker,
  SPEC_GRANT_SETTINGS,
} from '../testing/relay-fixtures.js';
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
    edgeGrants(nats.bus),
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

describe(`${RequestAdmission.name} with credit grants`, () => {
  /** Billing's grant: 10 requests and 100,000 micros at 1 micro an input token and 2 an output token. */
  const granting = (request: AcquireGrantRequest): GrantAnswer => ({
    granted: {
      grantId: request.grantId,
      moneyMicros: '100000',
      requests: 10,
      quote: {
        inputPerMillionMicros: '1000000',
        outputPerMillionMicros: '2000000',
        charactersPerMillionMicros: '0',
        cachedInputPerMillionMicros: null,
        cacheWritePerMillionMicros: null,
        reasoningPerMillionMicros: null,
        multiplierBp: 10_000,
      },
      keyLimit: 60,
      keyCountBefore: 2,
      validForMs: 10_000,
      windowEndsInMs: 30_000,
    },
    declined: null,
    retryAfterMs: 0,
  });
  /** ceil(12 × 1.5) input tokens at 1 micro and 100 output tokens at 2. */
  const ADMITTED_MICROS = '218';
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  /** Two requests reserved per request make the key busy; the grant they ask for has arrived. */
  async function warm(nats: FakeNatsBus) {
    nats
      .answer(RouterSubjects.pick, () => ok(pickedChannel(4)))
      .answer(BillingSubjects.reserve, held)
      .answer(BillingSubjects.acquireGrant, granting)
      .answer(BillingSubjects.returnGrants, ({ returns }) => ({
        results: returns.map(({ grantId }) => ({ grantId, outcome: 'closed' as const })),
      }));
    const publisher = new FakeSettlementPublisher();
    const grants = edgeGrants(nats.bus, true);
    const sut = new RequestAdmission(
      routerAskingPicker(nats.bus),
      new HoldSettler(publisher.publisher),
      new InputTokenRatios({ HOLD_INPUT_MARGIN }),
      grants,
      nats.bus,
    );
    grants.onModuleInit();
    await sut.admit(query);
    await sut.admit(query);
    await settle();
    expect(nats.requested(BillingSubjects.acquireGrant)).toHaveLength(1);
    return {
      sut,
      grants,
      released: publisher.published,
      reserves: () => nats.requested(BillingSubjects.reserve).length,
    };
  }

  it('asks a grant for a key after two requests, then admits from it with one append and no reserve', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves } = await warm(nats);
    try {
      const [asked] = nats.requested(BillingSubjects.acquireGrant);
      expect(asked).toMatchObject({ userId: 'user-1', keyId: 'key-1', model: 'gpt-4o', rpmLimit: 60 });

      const admission = await sut.admit(query);

      expect(reserves()).toBe(2);
      expect(admission.hold).toEqual({
        holdId: admission.admission?.admissionId,
        amountMicros: ADMITTED_MICROS,
        rateLimit: { limit: 60, remaining: 57, resetSeconds: 30 },
      });
      expect(admission.admission).toMatchObject({
        grantId: asked.grantId,
        tid: TID,
        userId: 'user-1',
        keyId: 'key-1',
        model: 'gpt-4o',
        amountMicros: ADMITTED_MICROS,
      });
      expect(nats.appended).toEqual([
        {
          subject: SPEC_GRANT_SETTINGS.ADMISSION_SUBJECT,
          payload: { admissions: [admission.admission] },
          msgID: admission.admission?.admissionId,
        },
      ]);
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('touches no money for a request the router refuses on the grant path', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves, released } = await warm(nats);
    try {
      nats.answer(RouterSubjects.pick, () => refused({ reason: DenialReason.ChannelDisabled }));
      // The routing table is not loaded in this spec: the picker asks the router.
      await expect(sut.admit(query)).rejects.toEqual(denied(DenialReason.ChannelDisabled));
      expect(nats.appended).toEqual([]);
      expect(reserves()).toBe(2);
      expect(released).toEqual([]);
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('gives a refused append back to the slice and reserves the request with billing instead', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves, released } = await warm(nats);
    try {
      nats.answerAppends(() =>
        Promise.reject(new JetStreamApiError({ code: 503, err_code: 10077, description: 'maximum bytes exceeded' })),
      );

      const admission = await sut.admit(query);

      expect(admission.admission).toBeUndefined();
      expect(reserves()).toBe(3);
      expect(released).toEqual([]);
      nats.answerAppends(() => Promise.resolve({ seq: 2 }));
      // The slice still has its ten requests' worth: the one not appended was given back.
      for (let i = 0; i < 10; i++) expect((await sut.admit(query)).admission).toBeDefined();
      expect((await sut.admit(query)).admission).toBeUndefined();
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('answers 503 for an admission whose append went unanswered, and releases it with its record', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves, released } = await warm(nats);
    try {
      nats.answerAppends(() => Promise.reject(new Error('TIMEOUT')));

      await expect(sut.admit(query)).rejects.toBeInstanceOf(ServiceUnavailableError);

      // One request, one hold: no reserve after the admission that may be stored.
      expect(reserves()).toBe(2);
      const [appended] = nats.appended;
      const record = (appended.payload as { admissions: AdmissionRecord[] }).admissions[0];
      expect(released).toEqual([
        expect.objectContaining({ holdId: record.admissionId, succeeded: false, httpStatus: 503, admission: record }),
      ]);
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('stops admitting on a grant billing reclaims, and returns it with what it admitted', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves } = await warm(nats);
    try {
      const [asked] = nats.requested(BillingSubjects.acquireGrant);
      await sut.admit(query);
      await sut.admit(query);

      nats.deliver(BillingSubjects.grantsReclaim, { reason: 'needed_elsewhere', grantIds: [asked.grantId] });
      await settle();

      expect(nats.requested(BillingSubjects.returnGrants)).toEqual([
        {
          edgeId: expect.any(String),
          returns: [{ grantId: asked.grantId, admittedMicros: '436', admissions: 2, reason: 'reclaimed' }],
        },
      ]);
      expect((await sut.admit(query)).admission).toBeUndefined();
      expect(reserves()).toBe(3);
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('sends a slice closed while a return is out right after that return, not at the next tick', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants } = await warm(nats);
    try {
      const mini = { ...query, model: 'gpt-4o-mini' };
      await sut.admit(mini);
      await sut.admit(mini);
      await settle();
      const [first, second] = nats.requested(BillingSubjects.acquireGrant).map((asked) => asked.grantId);
      const answer = deferred<ReturnGrantsResult>();
      nats.answer(BillingSubjects.returnGrants, () => answer.promise);

      nats.deliver(BillingSubjects.grantsReclaim, { reason: 'needed_elsewhere', grantIds: [first] });
      await settle();
      nats.deliver(BillingSubjects.grantsReclaim, { reason: 'needed_elsewhere', grantIds: [second] });
      await settle();
      expect(nats.requested(BillingSubjects.returnGrants).map(({ returns }) => returns[0].grantId)).toEqual([first]);

      answer.resolve({ results: [{ grantId: first, outcome: 'closed' }] });
      await settle();
      expect(nats.requested(BillingSubjects.returnGrants).map(({ returns }) => returns[0].grantId)).toEqual([
        first,
        second,
      ]);
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('stops admitting on the slices of a key auth invalidates', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves } = await warm(nats);
    try {
      nats.deliver(AuthSubjects.invalidated, { keyIds: ['key-1'] });
      await settle();

      expect(nats.requested(BillingSubjects.returnGrants)[0]?.returns).toEqual([
        expect.objectContaining({ admissions: 0, reason: 'invalidated' }),
      ]);
      expect((await sut.admit(query)).admission).toBeUndefined();
      expect(reserves()).toBe(3);
    } finally {
      await grants.onModuleDestroy();
    }
  });

  it('never admits a request with images from a grant', async () => {
    const nats = new FakeNatsBus();
    const { sut, grants, reserves } = await warm(nats);
    try {
      const withImage = { ...query, estimate: { ...ESTIMATE, images: 1, imageSize: '1024x1024' } };
      expect((await sut.admit(withImage)).admission).toBeUndefined();
      expect(reserves()).toBe(3);
    } finally {
      await grants.onModuleDestroy();
    }
  });
});
