import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Hold, Settlement } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { eventually } from '@tollgate/testing';
import {
  billingInstance,
  fund,
  keySpent,
  moneyOf,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  settlementFor,
  testConfig,
  type BillingInstance,
  type Customer,
  ledgerPage,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { SettleService } from './settle.service.js';

describe(SettleService.name, () => {
  const { billing, openReplica } = useBillingDatabase();
  let sut: SettleService;

  beforeAll(async () => {
    sut = billing.settle;
    await priceTestModel(billing);
  });

  async function holdFor(customer: Customer, instance: BillingInstance = billing): Promise<Hold> {
    const reply = await instance.reserve.reserve(reserveRequest(customer));
    if (!reply.ok) throw new Error(`reserve refused: ${reply.denial.reason}`);
    return reply.value;
  }

  const ledgerTypes = async (userId: string) =>
    (await ledgerPage(billing.ledger, { userId })).data.map((entry) => [
      entry.type,
      entry.amountMicros,
      entry.balanceAfterMicros,
    ]);

  it('charges the actual cost, returns the hold, and writes ledger and usage log', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await holdFor(customer);

    // 100 in × 1 + 20 out × 2 = 140 micros, against a hold of 200.
    const outcome = await sut.settle(settlementFor(customer, hold.holdId));

    expect(outcome).toEqual({ kind: 'settled', chargedMicros: 140n, releasedMicros: 200n });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
    expect(await keySpent(billing.db, customer.keyId)).toBe(140n);
    expect(await ledgerTypes(customer.userId)).toEqual([
      ['charge', '-140', '860'],
      ['release', '200', '1000'],
      ['hold', '-200', '800'],
      ['topup', '1000', '1000'],
    ]);
    const [usage] = await billing.db.query<Array<Record<string, unknown>>>(
      `SELECT * FROM billing.usage_log WHERE hold_id = $1`,
      [hold.holdId],
    );
    expect(usage).toMatchObject({
      tid: '4bf92f3577b34da6a3ce929d0e0e4736',
      user_id: customer.userId,
      key_id: customer.keyId,
      channel_id: 1,
      input_tokens: 100,
      output_tokens: 20,
      cost_micros: '140',
      latency_ms: 120,
      http_status: 200,
      succeeded: true,
      stream: false,
    });
  });

  it('charges a hold once, however often its settlement arrives', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await holdFor(customer);
    const settlement = settlementFor(customer, hold.holdId);

    const first = await sut.settle(settlement);
    const again = await sut.settle(settlement);

    expect(first.kind).toBe('settled');
    expect(again).toEqual({ kind: 'not_open', status: 'settled' });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
  });

  it('charges once when duplicates arrive at the same time on two replicas', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await holdFor(customer);
    const other = billingInstance(await openReplica()).settle;
    const settlement = settlementFor(customer, hold.holdId);

    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? sut : other).settle(settlement)));

    expect(outcomes.filter((outcome) => outcome.kind === 'settled')).toHaveLength(1);
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 860n, held: 0n, ledger: 860n });
    const charges = await ledgerPage(billing.ledger, { userId: customer.userId, types: ['charge'] });
    expect(charges.data).toHaveLength(1);
  });

  it('charges the actual cost beyond the hold: the balance goes negative and the next reserve is refused', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 300n);
    const hold = await holdFor(customer);

    // 100 in + 400 out × 2 = 900 micros, against a hold of 200 and a balance of 300.
    await sut.settle(
      settlementFor(customer, hold.holdId, {
        usage: { inputTokens: 100, outputTokens: 400, images: 0, characters: 0 },
      }),
    );

    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: -600n, held: 0n, ledger: -600n });
    expect(await keySpent(billing.db, customer.keyId)).toBe(900n);
    const next = await billing.reserve.reserve(reserveRequest(customer));
    expect(next).toEqual({ ok: false, denial: { reason: DenialReason.InsufficientUserQuota } });
  });

  it('releases a failed request in full', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await holdFor(customer);

    const outcome = await sut.settle(settlementFor(customer, hold.holdId, { succeeded: false, httpStatus: 502 }));

    expect(outcome).toEqual({ kind: 'released', releasedMicros: 200n });
    expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
    expect(await keySpent(billing.db, customer.keyId)).toBe(0n);
    expect(await ledgerTypes(customer.userId)).toEqual([
      ['release', '200', '1000'],
      ['hold', '-200', '800'],
      ['topup', '1000', '1000'],
    ]);
  });

  it('charges at the prices the hold was quoted at, even if they change before the settlement', async () => {
    const customer = newCustomer();
    await fund(billing, customer.userId, 1_000n);
    const hold = await holdFor(customer);
    await billing.prices.setPrice({ model: 'test-model', inputPerMillionMicros: '5000000' });

    const outcome = await sut.settle(settlementFor(customer, hold.holdId));

    await billing.prices.setPrice({ model: 'test-model', inputPerMillionMicros: '1000000' });
    expect(outcome).toMatchObject({ chargedMicros: 140n });
  });

  describe('token parts', () => {
    const PARTS_MODEL = 'parts-model';
    const partsHold = async (customer: Customer): Promise<Hold> => {
      const reply = await billing.reserve.reserve(reserveRequest(customer, { model: PARTS_MODEL }));
      if (!reply.ok) throw new Error(`reserve refused: ${reply.denial.reason}`);
      return reply.value;
    };
    const settleParts = (customer: Customer, hold: Hold, usage: Settlement['usage']) =>
      sut.settle(settlementFor(customer, hold.holdId, { model: PARTS_MODEL, usage }));
    const usageRow = async (holdId: string) =>
      (
        await billing.db.query<Array<Record<string, unknown>>>(
          `SELECT input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_micros
             FROM billing.usage_log WHERE hold_id = $1`,
          [holdId],
        )
      )[0];
    const chargeReason = async (userId: string) =>
      (await ledgerPage(billing.ledger, { userId, types: ['charge'] })).data.map((entry) => entry.reason);
    const usage = (parts: Partial<Settlement['usage']>): Settlement['usage'] => ({
      inputTokens: 100,
      outputTokens: 20,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      images: 0,
      characters: 0,
      ...parts,
    });

    beforeAll(async () => {
      // Per token: input 1, output 2, cached input 0.25, cache write 1.25, reasoning 3 micros.
      await billing.prices.setPrice({
        model: PARTS_MODEL,
        inputPerMillionMicros: '1000000',
        outputPerMillionMicros: '2000000',
        cachedInputPerMillionMicros: '250000',
        cacheWritePerMillionMicros: '1250000',
        reasoningPerMillionMicros: '3000000',
      });
    });

    it('charges each part at the price the hold was quoted at, and records every kind', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000n);
      // Held at the dearest rates: 100 in × 1.25 + 50 out × 3 = 275.
      const hold = await partsHold(customer);
      expect(hold.amountMicros).toBe('275');
      // Prices changed after the reserve do not apply to it.
      await billing.prices.setPrice({ model: PARTS_MODEL, cachedInputPerMillionMicros: null });

      const outcome = await settleParts(
        customer,
        hold,
        usage({ cachedInputTokens: 40, cacheWriteTokens: 20, reasoningTokens: 10 }),
      );

      await billing.prices.setPrice({ model: PARTS_MODEL, cachedInputPerMillionMicros: '250000' });
      // 40 plain in × 1 + 40 cached × 0.25 + 20 written × 1.25 + 10 plain out × 2 + 10 reasoning × 3 = 125.
      expect(outcome).toEqual({ kind: 'settled', chargedMicros: 125n, releasedMicros: 275n });
      expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 875n, held: 0n, ledger: 875n });
      expect(await usageRow(hold.holdId)).toEqual({
        input_tokens: 100,
        output_tokens: 20,
        cached_input_tokens: 40,
        cache_write_tokens: 20,
        reasoning_tokens: 10,
        cost_micros: '125',
      });
      expect(await chargeReason(customer.userId)).toEqual([
        'parts-model: 100 in (40 cached, 20 cache write), 20 out (10 reasoning)',
      ]);
    });

    it('charges parts that exceed their whole within the totals, and records what it charged', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000n);
      const hold = await partsHold(customer);

      const outcome = await settleParts(
        customer,
        hold,
        usage({ cachedInputTokens: 90, cacheWriteTokens: 30, reasoningTokens: 50 }),
      );

      // Cached 90 × 0.25 + the 10 input tokens left as cache writes × 1.25 + all 20 output as reasoning × 3 = 95.
      expect(outcome).toMatchObject({ kind: 'settled', chargedMicros: 95n });
      expect(await usageRow(hold.holdId)).toMatchObject({
        input_tokens: 100,
        output_tokens: 20,
        cached_input_tokens: 90,
        cache_write_tokens: 10,
        reasoning_tokens: 20,
      });
      expect(await chargeReason(customer.userId)).toEqual([
        'parts-model: 100 in (90 cached, 10 cache write), 20 out (20 reasoning)',
      ]);
    });

    it('takes a settlement from an edge that sends no parts: all input at the input price, all output at the output price', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000n);
      const hold = await partsHold(customer);

      const outcome = await settleParts(customer, hold, {
        inputTokens: 100,
        outputTokens: 20,
        images: 0,
        characters: 0,
      });

      expect(outcome).toMatchObject({ kind: 'settled', chargedMicros: 140n });
      expect(await usageRow(hold.holdId)).toMatchObject({
        cached_input_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
      });
      expect(await chargeReason(customer.userId)).toEqual(['parts-model: 100 in, 20 out']);
    });
  });

  describe('audio minutes', () => {
    const AUDIO_MODEL = 'audio-minute-model';
    const audioEstimate = {
      ...reserveRequest(newCustomer()).estimate,
      inputTokens: 0,
      outputTokens: 0,
      audioSeconds: 90,
    };

    beforeAll(async () => {
      // whisper-1's list price: $0.006 a minute, nothing per token.
      await billing.prices.setPrice({ model: AUDIO_MODEL, inputPerMillionMicros: '0', audioPerMinuteMicros: '6000' });
    });

    it('holds the seconds at the per-minute price, charges the seconds used, and records them', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 100_000n);
      const reply = await billing.reserve.reserve(
        reserveRequest(customer, { model: AUDIO_MODEL, estimate: audioEstimate }),
      );
      if (!reply.ok) throw new Error(`reserve refused: ${reply.denial.reason}`);
      // 90 s × 6000 / 60 = 9000.
      expect(reply.value.amountMicros).toBe('9000');

      const outcome = await sut.settle(
        settlementFor(customer, reply.value.holdId, {
          model: AUDIO_MODEL,
          usage: { inputTokens: 0, outputTokens: 0, images: 0, characters: 0, audioSeconds: 7 },
        }),
      );

      expect(outcome).toEqual({ kind: 'settled', chargedMicros: 700n, releasedMicros: 9000n });
      const [row] = await billing.db.query<Array<{ audio_seconds: number }>>(
        'SELECT audio_seconds FROM billing.usage_log WHERE hold_id = $1',
        [reply.value.holdId],
      );
      expect(row.audio_seconds).toBe(7);
      const reasons = (await ledgerPage(billing.ledger, { userId: customer.userId, types: ['charge'] })).data;
      expect(reasons.map((entry) => entry.reason)).toEqual([`${AUDIO_MODEL}: 0 in, 0 out, 7 s audio`]);
    });

    it('refuses to hold audio for a model with no per-minute price', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 100_000n);

      const reply = await billing.reserve.reserve(reserveRequest(customer, { estimate: audioEstimate }));

      expect(reply).toMatchObject({ ok: false, denial: { reason: DenialReason.ModelPriceMissing } });
    });
  });

  it('ignores a settlement for a hold it never made', async () => {
    const customer = newCustomer();

    expect(await sut.settle(settlementFor(customer, '00000000-0000-4000-8000-000000000000'))).toEqual({
      kind: 'unknown_hold',
    });
  });

  describe('hold expiry', () => {
    it('charges an overdue hold at the held amount, once, and a late settlement changes nothing', async () => {
      const shortLived = billingInstance(billing.db, { ...testConfig(), HOLD_TTL_MS: 1 });
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000n);
      const hold = await holdFor(customer, shortLived);
      // Overdue by the database clock, which the sweepers go by.
      await eventually(async () => {
        const [expiry] = await billing.db.query<Array<{ overdue: boolean }>>(
          `SELECT expires_at <= now() AS overdue FROM billing.holds WHERE id = $1`,
          [hold.holdId],
        );
        expect(expiry).toEqual({ overdue: true });
      });

      // Two replicas sweep at once: the advisory lock and SKIP LOCKED expire each hold once.
      const swept = await Promise.all([billing.expiry.sweep(), billingInstance(await openReplica()).expiry.sweep()]);

      expect(swept[0] + swept[1]).toBeGreaterThanOrEqual(1);
      const [row] = await billing.db.query<Array<{ status: string; charged_micros: string }>>(
        `SELECT status, charged_micros FROM billing.holds WHERE id = $1`,
        [hold.holdId],
      );
      expect(row).toEqual({ status: 'expired', charged_micros: '200' });
      expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 800n, held: 0n, ledger: 800n });
      expect(await keySpent(billing.db, customer.keyId)).toBe(200n);
      expect(await ledgerTypes(customer.userId)).toEqual([
        ['expiry', '0', '800'],
        ['hold', '-200', '800'],
        ['topup', '1000', '1000'],
      ]);

      expect(await sut.settle(settlementFor(customer, hold.holdId))).toEqual({ kind: 'not_open', status: 'expired' });
      expect(await moneyOf(billing.db, customer.userId)).toEqual({ balance: 800n, held: 0n, ledger: 800n });
    });

    it('leaves holds that are not overdue alone', async () => {
      const customer = newCustomer();
      await fund(billing, customer.userId, 1_000n);
      const hold = await holdFor(customer);

      await billing.expiry.sweep();

      expect(await billing.holds.openHolds(customer.userId)).toEqual([
        expect.objectContaining({ holdId: hold.holdId, amountMicros: '200', model: 'test-model' }),
      ]);
    });
  });

  it('leaves every account and key reconciled', async () => {
    expect((await reconcileReport(billing)).differences).toEqual([]);
  });
});
