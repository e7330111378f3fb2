import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DenialReason } from '@tollgate/errors';
import {
  fund,
  newCustomer,
  priceTestModel,
  reconcileReport,
  reserveRequest,
  settlementFor,
} from '../testing/billing-fixture.js';
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

  const report = () => reconcileReport(billing);

  /** An account as one made before billing checked users: money for an id, with the ledger to match. */
  const legacyAccount = async (userId: string, micros: bigint): Promise<void> => {
    await billing.db.query(`INSERT INTO billing.accounts (user_id, balance_micros) VALUES ($1, $2)`, [
      userId,
      String(micros),
    ]);
    await billing.db.query(
      `INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, actor, idempotency_key)
       VALUES ($1, 'topup', $2, $2, 'staff', $3)`,
      [userId, String(micros), `legacy-${userId}`],
    );
  };

  it('finds no difference after top-ups, holds and settlements', async () => {
    expect(await report()).toEqual({
      checkedAt: expect.any(String),
      accounts: 2,
      keys: 2,
      ok: true,
      differences: [],
      accountsWithoutUser: [],
    });
  });

  it('reports a balance that no longer matches its ledger', async () => {
    await billing.db.query(`UPDATE billing.accounts SET balance_micros = balance_micros + 7 WHERE user_id = $1`, [
      settled.userId,
    ]);

    const found = await report();

    expect(found.ok).toBe(false);
    expect(found.differences).toEqual([
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

    const { differences } = await report();

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

  describe('accounts without a user', () => {
    const orphan = randomUUID();

    it('lists an account for an id auth has no user for, with its money, and is not ok', async () => {
      await legacyAccount(orphan, 7_500_000n);

      const found = await report();

      expect(found.ok).toBe(false);
      expect(found.accountsWithoutUser).toEqual([{ userId: orphan, balanceMicros: '7500000', heldMicros: '0' }]);
      // Its books balance: only its user is missing.
      expect(found.differences.filter((difference) => difference.userId === orphan)).toEqual([]);
    });

    it('does not list an account whose user billing has not heard of yet but auth has, and records that user', async () => {
      const notYetHeardOf = randomUUID();
      await legacyAccount(notYetHeardOf, 1_000n);
      billing.auth.add(notYetHeardOf);

      const found = await report();

      expect(found.accountsWithoutUser.map((account) => account.userId)).toEqual([orphan]);
      expect(await billing.knownUsers.knownAmong([notYetHeardOf, orphan])).toEqual(new Set([notYetHeardOf]));
    });

    it('answers service_unavailable rather than list accounts it cannot check with auth', async () => {
      billing.auth.answering = false;
      try {
        const reply = await sut.reconcile();

        expect(reply).toEqual({
          ok: false,
          denial: { reason: DenialReason.ServiceUnavailable, params: { retryAfterSeconds: 1 } },
        });
      } finally {
        billing.auth.answering = true;
      }
    });
  });
});
