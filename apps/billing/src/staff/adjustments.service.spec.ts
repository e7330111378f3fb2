import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { BillingSubjects } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import { billingInstance, moneyOf } from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { AdjustmentsService } from './adjustments.service.js';

describe(AdjustmentsService.name, () => {
  const { billing, openReplica } = useBillingDatabase();
  let sut: AdjustmentsService;

  beforeAll(async () => {
    sut = billing.adjustments;
  });

  /** As NATS delivers them: checked against the subject's schema first. */
  const topUpRequest = (request: unknown) => checkedHandler(BillingSubjects.topUp, (r) => sut.topUp(r))(request);
  const adjustRequest = (request: unknown) => checkedHandler(BillingSubjects.adjust, (r) => sut.adjust(r))(request);

  const topUp = (userId: string, amountMicros: string, idempotencyKey: string = randomUUID()) =>
    topUpRequest({ userId, amountMicros, actor: 'staff-1', reason: 'invoice 42', idempotencyKey });
  /** A user auth has. */
  const newUser = () => billing.auth.add().id;

  describe('topUp', () => {
    it('credits the balance and writes a topup entry', async () => {
      const userId = newUser();

      const reply = await topUp(userId, '12500000');

      expect(reply).toEqual({
        ok: true,
        value: {
          entry: expect.objectContaining({
            userId,
            type: 'topup',
            amountMicros: '12500000',
            balanceAfterMicros: '12500000',
            actor: 'staff-1',
            reason: 'invoice 42',
          }),
          balance: expect.objectContaining({ userId, balanceMicros: '12500000', heldMicros: '0' }),
          replayed: false,
        },
      });
    });

    it('applies the same idempotency key once and answers the first result again', async () => {
      const userId = newUser();
      const first = await topUp(userId, '1000', 'invoice-7');

      const second = await topUp(userId, '1000', 'invoice-7');

      expect(second.ok && second.value.replayed).toBe(true);
      expect(second.ok && second.value.entry).toEqual(first.ok && first.value.entry);
      expect(await moneyOf(billing.db, userId)).toEqual({ balance: 1_000n, held: 0n, ledger: 1_000n });
    });

    it('applies the same key once when it arrives 20 times at the same time, on two replicas', async () => {
      const userId = newUser();
      const other = billingInstance(await openReplica()).adjustments;
      const key = randomUUID();

      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? sut : other).topUp({
            userId,
            amountMicros: '500',
            actor: 'staff-1',
            reason: 'r',
            idempotencyKey: key,
          }),
        ),
      );

      expect(replies.every((reply) => reply.ok)).toBe(true);
      expect(replies.filter((reply) => reply.ok && !reply.value.replayed)).toHaveLength(1);
      expect(await moneyOf(billing.db, userId)).toEqual({ balance: 500n, held: 0n, ledger: 500n });
    });

    it('gives a key to one user only when several use it at the same time', async () => {
      const users = Array.from({ length: 10 }, newUser);
      const other = billingInstance(await openReplica()).adjustments;

      const replies = await Promise.all(
        users.map((userId, i) =>
          (i % 2 ? sut : other).topUp({
            userId,
            amountMicros: '100',
            actor: 'a',
            reason: 'r',
            idempotencyKey: 'shared-key',
          }),
        ),
      );

      expect(replies.filter((reply) => reply.ok)).toHaveLength(1);
      expect(replies.filter((reply) => !reply.ok && reply.denial.reason === DenialReason.Conflict)).toHaveLength(9);
      const balances = await Promise.all(users.map(async (userId) => (await moneyOf(billing.db, userId)).balance));
      expect(balances.filter((balance) => balance === 100n)).toHaveLength(1);
      expect(balances.filter((balance) => balance === 0n)).toHaveLength(9);
    });

    it('treats a user id in upper case as the same user', async () => {
      const userId = newUser();
      await topUp(userId, '300', `case-${userId}`);

      const again = await topUp(userId.toUpperCase(), '300', `case-${userId}`);

      expect(again.ok && again.value.replayed).toBe(true);
      expect(await moneyOf(billing.db, userId)).toMatchObject({ balance: 300n });
    });

    it('refuses a key already used for a different change', async () => {
      const userId = newUser();
      await topUp(userId, '1000', 'invoice-8');

      const reply = await topUp(userId, '2000', 'invoice-8');

      expect(reply.ok ? null : reply.denial.reason).toBe(DenialReason.Conflict);
      expect(await moneyOf(billing.db, userId)).toMatchObject({ balance: 1_000n });
    });

    it.each([
      ['0', 'amountMicros'],
      ['-5', 'amountMicros'],
      ['1.5', 'amountMicros'],
      ['1e3', 'amountMicros'],
    ])('refuses an amount of %p', async (amountMicros, param) => {
      const reply = await topUp(randomUUID(), amountMicros);

      expect(reply).toEqual({
        ok: false,
        denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param }) },
      });
    });

    it('refuses unknown fields and keys reserved for billing itself', async () => {
      const base = { userId: randomUUID(), amountMicros: '1', actor: 'a', reason: 'r' };

      const extra = await topUpRequest({ ...base, idempotencyKey: 'k-1', amount: '1' });
      const reserved = await topUpRequest({ ...base, idempotencyKey: `hold:${randomUUID()}` });

      expect(extra.ok ? null : extra.denial.params?.param).toBe('amount');
      expect(reserved.ok ? null : reserved.denial.params?.param).toBe('idempotencyKey');
    });
  });

  describe('for a user auth does not know', () => {
    const ledgerRows = async (userId: string) =>
      (await billing.db.query<unknown[]>(`SELECT 1 FROM billing.ledger WHERE user_id = $1`, [userId])).length;
    const accountRows = async (userId: string) =>
      (await billing.db.query<unknown[]>(`SELECT 1 FROM billing.accounts WHERE user_id = $1`, [userId])).length;

    it.each([
      ['a top-up', (userId: string) => topUp(userId, '1000')],
      [
        'an adjustment',
        (userId: string) =>
          sut.adjust({
            userId,
            amountMicros: '-5',
            actor: 'a',
            reason: 'r',
            idempotencyKey: randomUUID(),
            allowNegative: true,
          }),
      ],
    ])('refuses %s with a 404 naming the user, and moves nothing', async (_what, move) => {
      const stranger = randomUUID();

      const reply = await move(stranger);

      expect(reply).toEqual({
        ok: false,
        denial: { reason: DenialReason.ResourceNotFound, params: { detail: `no such user ${stranger}` } },
      });
      expect([await accountRows(stranger), await ledgerRows(stranger)]).toEqual([0, 0]);
    });

    it('refuses money for an account made before users were checked, when auth has no such user', async () => {
      const stranger = randomUUID();
      await billing.db.query(`INSERT INTO billing.accounts (user_id) VALUES ($1)`, [stranger]);

      const reply = await topUp(stranger, '1000');

      expect(reply.ok ? null : reply.denial.reason).toBe(DenialReason.ResourceNotFound);
      expect(await ledgerRows(stranger)).toBe(0);
    });

    it('tops up at once a user auth created a moment ago, before billing heard of it, and asks auth only once', async () => {
      // In auth, not yet in billing.known_users: its userCreated event has not arrived.
      const userId = newUser();
      const asked = billing.auth.lookups.length;

      const first = await topUp(userId, '1000');
      const second = await topUp(userId, '500');

      expect([first.ok, second.ok]).toEqual([true, true]);
      expect(billing.auth.lookups.slice(asked)).toEqual([[userId]]);
      expect(await moneyOf(billing.db, userId)).toEqual({ balance: 1_500n, held: 0n, ledger: 1_500n });
    });

    it('answers service_unavailable, moving nothing, when it must ask auth and auth does not answer', async () => {
      const known = newUser();
      await topUp(known, '100');
      const notYetHeardOf = newUser();
      billing.auth.answering = false;
      try {
        const refused = await topUp(notYetHeardOf, '1000');
        const stillServed = await topUp(known, '100');

        expect(refused).toEqual({
          ok: false,
          denial: { reason: DenialReason.ServiceUnavailable, params: { retryAfterSeconds: 1 } },
        });
        expect(stillServed.ok).toBe(true);
        expect(await ledgerRows(notYetHeardOf)).toBe(0);
      } finally {
        billing.auth.answering = true;
      }
    });
  });

  describe('adjust', () => {
    const adjust = (userId: string, amountMicros: string, extra: Record<string, unknown> = {}) =>
      adjustRequest({
        userId,
        amountMicros,
        actor: 'staff-2',
        reason: 'goodwill',
        idempotencyKey: randomUUID(),
        ...extra,
      });

    it('applies a signed amount with its reason', async () => {
      const userId = newUser();
      await topUp(userId, '1000');

      const reply = await adjust(userId, '-400');

      expect(reply.ok && reply.value.entry).toMatchObject({
        type: 'adjustment',
        amountMicros: '-400',
        reason: 'goodwill',
      });
      expect(await moneyOf(billing.db, userId)).toEqual({ balance: 600n, held: 0n, ledger: 600n });
    });

    it('will not take the balance below zero unless allowNegative', async () => {
      const userId = newUser();
      await topUp(userId, '100');

      const refused = await adjust(userId, '-101');
      const allowed = await adjust(userId, '-101', { allowNegative: true });

      expect(refused).toEqual({
        ok: false,
        denial: { reason: DenialReason.Conflict, params: { detail: expect.stringContaining('below zero') } },
      });
      expect(allowed.ok).toBe(true);
      expect(await moneyOf(billing.db, userId)).toEqual({ balance: -1n, held: 0n, ledger: -1n });
    });

    it('is idempotent by key like a top-up', async () => {
      const userId = newUser();
      const request = { userId, amountMicros: '250', actor: 'staff-2', reason: 'refund', idempotencyKey: 'refund-1' };

      await sut.adjust(request);
      const again = await sut.adjust(request);

      expect(again.ok && again.value.replayed).toBe(true);
      expect(await moneyOf(billing.db, userId)).toMatchObject({ balance: 250n });
    });

    it('requires a reason and a non-zero amount', async () => {
      const userId = newUser();

      const noReason = await adjustRequest({ userId, amountMicros: '5', actor: 'a', idempotencyKey: randomUUID() });
      const zero = await adjust(userId, '0');

      expect(noReason.ok ? null : noReason.denial.params?.param).toBe('reason');
      expect(zero.ok ? null : zero.denial.params?.param).toBe('amountMicros');
    });
  });
});
