import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { BillingSubjects } from '@tollgate/contracts';
import { testConfig } from '../testing/billing-fixture.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { PriceBook } from './price-book.js';
import { PricesService } from './prices.service.js';

describe(PricesService.name, () => {
  const { billing } = useBillingDatabase();
  let book: PriceBook;
  const bus = { broadcast: jest.fn(), onBroadcast: jest.fn() };
  let sut: PricesService;

  beforeAll(async () => {
    book = new PriceBook(billing.db, testConfig({ PRICE_CACHE_TTL_MS: '600000' }));
    sut = new PricesService(billing.db, book, bus);
  });

  it('creates a price, with 0 for the fields not given, and changes only the fields given', async () => {
    await sut.setPrice({ model: 'm-1', inputPerMillionMicros: '2500000', imagePriceMicros: { '*': '40000' } });

    const changed = await sut.setPrice({ model: 'm-1', outputPerMillionMicros: '10000000' });

    expect(changed).toEqual({
      ok: true,
      value: {
        model: 'm-1',
        inputPerMillionMicros: '2500000',
        outputPerMillionMicros: '10000000',
        imagePriceMicros: { '*': '40000' },
        charactersPerMillionMicros: '0',
        updatedAt: expect.any(String),
      },
    });
    expect((await sut.listPrices()).map((price) => price.model)).toEqual(['m-1']);
  });

  it('tells every replica, and drops its own cached price at once', async () => {
    await sut.setPrice({ model: 'm-2', inputPerMillionMicros: '1' });
    expect((await book.price('m-2'))?.inputPerMillionMicros).toBe(1n);

    await sut.setPrice({ model: 'm-2', inputPerMillionMicros: '2' });

    expect((await book.price('m-2'))?.inputPerMillionMicros).toBe(2n);
    expect(bus.broadcast).toHaveBeenCalledWith(BillingSubjects.pricesChanged, { models: ['m-2'] });
  });

  it('applies a broadcast from another replica to the cache', async () => {
    sut.onModuleInit();
    const [subject, handler] = bus.onBroadcast.mock.calls[0] as [unknown, (change: { models?: string[] }) => void];
    await sut.setPrice({ model: 'm-3', inputPerMillionMicros: '1' });
    await book.price('m-3');
    await billing.db.query(`UPDATE billing.prices SET input_per_million_micros = 9 WHERE model = 'm-3'`);

    handler({ models: ['m-3'] });

    expect(subject).toBe(BillingSubjects.pricesChanged);
    expect((await book.price('m-3'))?.inputPerMillionMicros).toBe(9n);
  });

  it('keeps group multipliers as exact basis points', async () => {
    await sut.setGroupMultiplier({ group: 'vip', multiplierBasisPoints: 8000 });
    await sut.setGroupMultiplier({ group: 'vip', multiplierBasisPoints: 7500 });

    expect(await sut.listGroupMultipliers()).toEqual([
      { group: 'vip', multiplierBasisPoints: 7500, multiplier: '0.7500', updatedAt: expect.any(String) },
    ]);
    expect(await book.multiplierBp('vip')).toBe(7500);
    expect(await book.multiplierBp('nobody')).toBe(10_000);
  });
});
