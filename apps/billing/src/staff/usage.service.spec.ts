import { beforeAll, describe, expect, it } from '@jest/globals';
import { BillingSubjects, type Usage } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import {
  fund,
  newCustomer,
  priceTestModel,
  reserveRequest,
  settlementFor,
  type Customer,
} from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { UsageService } from './usage.service.js';

describe(UsageService.name, () => {
  const { billing } = useBillingDatabase();
  let sut: UsageService;
  const alice = newCustomer();
  const bob = newCustomer();

  async function request(customer: Customer, succeeded: boolean, parts: Partial<Usage> = {}): Promise<void> {
    const hold = await billing.reserve.reserve(reserveRequest(customer));
    if (!hold.ok) throw new Error('reserve refused');
    const settlement = settlementFor(customer, hold.value.holdId, { succeeded });
    await billing.settle.settle({ ...settlement, usage: { ...settlement.usage, ...parts } });
  }

  beforeAll(async () => {
    sut = billing.usage;
    await priceTestModel(billing);
    await fund(billing, alice.userId, 10_000n);
    await fund(billing, bob.userId, 10_000n);
    await request(alice, true);
    await request(alice, true, { cachedInputTokens: 30, cacheWriteTokens: 10, reasoningTokens: 5 });
    await request(alice, false);
    await request(bob, true);
  });

  it('sums usage by day, user, key and model', async () => {
    const reply = await sut.usage({ userId: alice.userId });

    const day = new Date().toISOString().slice(0, 10);
    expect(reply).toEqual({
      ok: true,
      value: {
        truncated: false,
        rows: [
          {
            day,
            userId: alice.userId,
            keyId: alice.keyId,
            model: 'test-model',
            requests: 3,
            failedRequests: 1,
            inputTokens: 300,
            outputTokens: 60,
            cachedInputTokens: 30,
            cacheWriteTokens: 10,
            reasoningTokens: 5,
            images: 0,
            characters: 0,
            audioSeconds: 0,
            costMicros: '280',
          },
        ],
      },
    });
  });

  it('filters by date and truncates at the limit', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();

    const none = await sut.usage({ from: tomorrow });
    const one = await sut.usage({ to: tomorrow, limit: 1 });

    expect(none.ok && none.value.rows).toEqual([]);
    expect(one.ok && one.value).toMatchObject({ truncated: true, rows: [expect.any(Object)] });
  });

  it.each([
    [{ from: 'soon' }, 'from'],
    [{ userId: 'x' }, 'userId'],
    [{ limit: 0 }, 'limit'],
    [{ day: '2026-01-01' }, 'day'],
  ])('refuses %p', async (request, param) => {
    expect(await checkedHandler(BillingSubjects.usage, (r) => sut.usage(r))(request)).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param }) },
    });
  });
});
