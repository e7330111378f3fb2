import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { BillingSubjects, type RequestLogEntryView, type RequestLogRequest } from '@tollgate/contracts';
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
import { RequestLogService } from './request-log.service.js';

const newTid = () => randomBytes(16).toString('hex');

describe(RequestLogService.name, () => {
  const { billing } = useBillingDatabase();
  let sut: RequestLogService;
  const alice = newCustomer();
  const bob = newCustomer();
  const tids = { charged: newTid(), failed: newTid(), bob: newTid(), sharedTid: newTid() };

  async function request(customer: Customer, tid: string, succeeded = true, httpStatus = 200): Promise<string> {
    const hold = await billing.reserve.reserve(reserveRequest(customer));
    if (!hold.ok) throw new Error('reserve refused');
    await billing.settle.settle(settlementFor(customer, hold.value.holdId, { tid, succeeded, httpStatus }));
    return hold.value.holdId;
  }

  /** Every page of a filter, following the cursor. */
  async function allPages(filter: RequestLogRequest): Promise<RequestLogEntryView[][]> {
    const pages: RequestLogEntryView[][] = [];
    let cursor: string | null = null;
    do {
      const reply = await sut.page({ ...filter, cursor });
      if (!reply.ok) throw new Error('page refused');
      pages.push(reply.value.data);
      cursor = reply.value.nextCursor;
    } while (cursor !== null);
    return pages;
  }

  beforeAll(async () => {
    sut = billing.requestLog;
    await priceTestModel(billing);
    await fund(billing, alice.userId, 10_000n);
    await fund(billing, bob.userId, 10_000n);
    await request(alice, tids.charged);
    await request(alice, tids.failed, false, 502);
    await request(bob, tids.bob);
    for (let i = 0; i < 5; i++) await request(alice, newTid());
    // Settled together, as the consumer does: batched into one transaction, so one now() for their rows.
    const batch = [];
    for (let i = 0; i < 4; i++) {
      const hold = await billing.reserve.reserve(reserveRequest(bob));
      if (!hold.ok) throw new Error('reserve refused');
      batch.push(settlementFor(bob, hold.value.holdId, { tid: tids.sharedTid }));
    }
    await Promise.all(batch.map((settlement) => billing.settle.settle(settlement)));
  });

  it('finds a request by its tid with its hold and ledger lines: hold, release, charge', async () => {
    const reply = await sut.trace(tids.charged.toUpperCase());

    if (!reply.ok) throw new Error('trace refused');
    expect(reply.value.tid).toBe(tids.charged);
    expect(reply.value.requests).toHaveLength(1);
    const [found] = reply.value.requests;
    expect(found?.request).toMatchObject({ tid: tids.charged, userId: alice.userId, httpStatus: 200, succeeded: true });
    expect(found?.hold).toMatchObject({ status: 'settled', heldMicros: '200', chargedMicros: '140' });
    expect(found?.ledger.map((line) => [line.type, line.amountMicros])).toEqual([
      ['hold', '-200'],
      ['release', '200'],
      ['charge', '-140'],
    ]);
  });

  it('shows a failed request released, with no charge line', async () => {
    const reply = await sut.trace(tids.failed);

    if (!reply.ok) throw new Error('trace refused');
    const [found] = reply.value.requests;
    expect(found?.request).toMatchObject({ httpStatus: 502, succeeded: false, costMicros: '0' });
    expect(found?.hold).toMatchObject({ status: 'released', chargedMicros: '0' });
    expect(found?.ledger.map((line) => line.type)).toEqual(['hold', 'release']);
  });

  it('lists every request that shares a tid, each with its own ledger lines', async () => {
    const reply = await sut.trace(tids.sharedTid);

    if (!reply.ok) throw new Error('trace refused');
    expect(reply.value.requests).toHaveLength(4);
    for (const found of reply.value.requests) {
      expect(found.ledger.every((line) => line.holdId === found.request.holdId)).toBe(true);
      expect(found.ledger).toHaveLength(3);
    }
  });

  it('answers the documented 404 for a tid nothing was settled under', async () => {
    const unknown = newTid();

    expect(await sut.trace(unknown)).toEqual({
      ok: false,
      denial: { reason: DenialReason.ResourceNotFound, params: { detail: `no request settled with tid ${unknown}` } },
    });
  });

  it('pages newest first without a repeat or a gap, rows of one transaction included', async () => {
    const everything = await sut.page({ limit: 100 });
    if (!everything.ok) throw new Error('page refused');

    const pages = await allPages({ limit: 5 });

    expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(pages.flat().map((row) => row.id)).toEqual(everything.value.data.map((row) => row.id));
    const times = everything.value.data.map((row) => row.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by user, key, tid, model, channel, status and outcome, and pages within the filter', async () => {
    const only = async (filter: RequestLogRequest) => (await allPages({ ...filter, limit: 2 })).flat();

    expect(await only({ userId: alice.userId })).toHaveLength(7);
    expect(await only({ keyId: bob.keyId })).toHaveLength(5);
    expect((await only({ tid: tids.bob })).map((row) => row.userId)).toEqual([bob.userId]);
    expect(await only({ model: 'test-model' })).toHaveLength(12);
    expect(await only({ model: 'other-model' })).toHaveLength(0);
    expect(await only({ channelId: 1 })).toHaveLength(12);
    expect(await only({ channelId: 2 })).toHaveLength(0);
    expect((await only({ httpStatus: 502 })).map((row) => row.tid)).toEqual([tids.failed]);
    expect((await only({ succeeded: false })).map((row) => row.tid)).toEqual([tids.failed]);
    expect(await only({ succeeded: true, userId: alice.userId })).toHaveLength(6);
  });

  it('filters by time: settled at or after from, before to', async () => {
    const everything = await sut.page({ limit: 100 });
    if (!everything.ok) throw new Error('page refused');
    const oldest = everything.value.data[everything.value.data.length - 1];
    if (!oldest) throw new Error('no rows');
    // created_at has microseconds, the view milliseconds: a millisecond earlier is before every row.
    const beforeOldest = new Date(Date.parse(oldest.createdAt) - 1).toISOString();
    const hourAhead = new Date(Date.now() + 3_600_000).toISOString();

    const fromOldest = await sut.page({ from: beforeOldest, limit: 100 });
    const toOldest = await sut.page({ to: beforeOldest, limit: 100 });
    const future = await sut.page({ from: hourAhead });

    expect(fromOldest.ok && fromOldest.value.data).toHaveLength(12);
    expect(toOldest.ok && toOldest.value.data).toEqual([]);
    expect(future.ok && future.value).toEqual({ data: [], nextCursor: null });
  });

  it.each([
    [{ cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
    [{ cursor: 'has spaces' }, 'cursor'],
    [{ tid: 'abc' }, 'tid'],
    [{ limit: 501 }, 'limit'],
    [{ channelId: 0 }, 'channelId'],
    [{ userId: 'x' }, 'userId'],
  ])('refuses %p', async (request, param) => {
    expect(await checkedHandler(BillingSubjects.requests, (r) => sut.page(r))(request)).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: expect.objectContaining({ param }) },
    });
  });
});
