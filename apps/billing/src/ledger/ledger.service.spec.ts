import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { fund, ledgerPage } from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { BillingSubjects } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler } from '@tollgate/nats/server';
import { newTid, TraceContext } from '@tollgate/observability';
import { LedgerService } from './ledger.service.js';

describe(LedgerService.name, () => {
  const { billing } = useBillingDatabase();
  let sut: LedgerService;
  const userId = randomUUID();

  beforeAll(async () => {
    sut = billing.ledger;
    for (const amount of [100n, 200n, 300n, 400n, 500n]) await fund(billing, userId, amount);
    await billing.adjustments.adjust({
      userId,
      amountMicros: '-50',
      actor: 'staff',
      reason: 'fix',
      idempotencyKey: randomUUID(),
    });
  });

  it('shows a balance, and zero for a user with no account', async () => {
    expect(await sut.balance(userId)).toEqual({
      userId,
      balanceMicros: '1450',
      heldMicros: '0',
      grantedMicros: '0',
      updatedAt: expect.any(String),
    });
    const stranger = randomUUID();
    expect(await sut.balance(stranger)).toEqual({
      userId: stranger,
      balanceMicros: '0',
      heldMicros: '0',
      grantedMicros: '0',
      updatedAt: null,
    });
  });

  it('pages newest first with a cursor', async () => {
    const first = await ledgerPage(sut, { userId, limit: 4 });
    const second = await ledgerPage(sut, { userId, limit: 4, cursor: first.nextCursor });

    expect(first.data.map((entry) => entry.amountMicros)).toEqual(['-50', '500', '400', '300']);
    expect(first.nextCursor).not.toBeNull();
    expect(second.data.map((entry) => entry.amountMicros)).toEqual(['200', '100']);
    expect(second.nextCursor).toBeNull();
  });

  it('filters by type and by time', async () => {
    const adjustments = await ledgerPage(sut, { userId, types: ['adjustment'] });
    const future = await ledgerPage(sut, { userId, from: new Date(Date.now() + 60_000).toISOString() });
    const past = await ledgerPage(sut, { userId, to: new Date(Date.now() - 60_000).toISOString() });
    const now = await ledgerPage(sut, {
      userId,
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });

    expect(adjustments.data).toEqual([
      expect.objectContaining({ type: 'adjustment', reason: 'fix', balanceAfterMicros: '1450' }),
    ]);
    expect(future.data).toEqual([]);
    expect(past.data).toEqual([]);
    expect(now.data).toHaveLength(6);
  });

  it('filters by the tid an entry was written under, in any case', async () => {
    const tid = newTid();
    const change = { userId, actor: 'staff', reason: 'under a tid', allowNegative: false };
    await TraceContext.run(tid, () =>
      billing.adjustments.adjust({ ...change, amountMicros: '7', idempotencyKey: randomUUID() }),
    );
    await TraceContext.run(newTid(), () =>
      billing.adjustments.adjust({ ...change, amountMicros: '8', idempotencyKey: randomUUID() }),
    );

    const found = await ledgerPage(sut, { userId, tid: tid.toUpperCase() });
    const strangers = await ledgerPage(sut, { userId: randomUUID(), tid });

    expect(found.data).toEqual([expect.objectContaining({ amountMicros: '7', tid, reason: 'under a tid' })]);
    expect(strangers.data).toEqual([]);
  });

  it('refuses a malformed query, naming the field', async () => {
    const page = checkedHandler(BillingSubjects.ledger, (request) => sut.page(request));
    expect(await page({ userId, cursor: 'abc' })).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: { param: 'cursor', detail: expect.any(String) } },
    });
    expect(await page({ userId, from: 'yesterday' })).toMatchObject({
      ok: false,
      denial: { params: { param: 'from' } },
    });
    expect(await page({ userId, tid: 'not-a-tid' })).toMatchObject({
      ok: false,
      denial: { params: { param: 'tid' } },
    });
  });
});
