import { beforeAll, describe, expect, it } from '@jest/globals';
import { fund, newCustomer, priceTestModel, reserveRequest, settlementFor } from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { ReconcileService } from './reconcile.service.js';

describe(ReconcileService.name, () => {
  const { billing } = useBillingDatabase();
  let sut: ReconcileService;
  const settled = newCustomer();
  const open = newCustomer();

  beforeAll(async () => {
    sut = billing.reconcile;
    await priceTestModel(billing);
    for (const customer of [settled, open]) await fund(billing, customer.userId, 10_000n);
    const first = await billing.reserve.reserve(reserveRequest(settled));
    if (first.ok) await billing.settle.settle(settlementFor(settled, first.value.holdId));
    await billing.reserve.reserve(reserveRequest(open));
  });

  it('finds no difference after top-ups, holds and settlements', async () => {
    const report = await sut.reconcile();

    expect(report).toEqual({ checkedAt: expect.any(String), accounts: 2, keys: 2, ok: true, differences: [] });
  });

  it('reports a balance that no longer matches its ledger', async () => {
    await billing.db.query(`UPDATE billing.accounts SET balance_micros = balance_micros + 7 WHERE user_id = $1`, [
      settled.userId,
    ]);

    const report = await sut.reconcile();

    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      {
        kind: 'balance_vs_ledger',
        userId: settled.userId,
        keyId: null,
        recordedMicros: '9867',
        expectedMicros: '9860',
        differenceMicros: '7',
      },
    ]);
  });

  it('reports held amounts and key spend that do not match the holds', async () => {
    await billing.db.query(`UPDATE billing.accounts SET held_micros = 0 WHERE user_id = $1`, [open.userId]);
    await billing.db.query(`UPDATE billing.key_spend SET spent_micros = 1 WHERE key_id = $1`, [settled.keyId]);

    const { differences } = await sut.reconcile();

    expect(differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'held_vs_open_holds',
          userId: open.userId,
          recordedMicros: '0',
          expectedMicros: '200',
        }),
        expect.objectContaining({
          kind: 'key_spend_vs_holds',
          keyId: settled.keyId,
          userId: settled.userId,
          recordedMicros: '1',
          expectedMicros: '140',
          differenceMicros: '-139',
        }),
      ]),
    );
    expect(differences).toHaveLength(3);
  });
});
