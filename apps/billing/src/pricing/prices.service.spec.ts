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
        cachedInputPerMillionMicros: null,
        cacheWritePerMillionMicros: null,
        reasoningPerMillionMicros: null,
        audioPerMinuteMicros: null,
        updatedAt: expect.any(String),
      },
    });
    expect((await sut.listPrices()).map((price) => price.model)).toEqual(['m-1']);
  });

  it("sets, keeps and clears the token parts' own prices: absent keeps, null follows the whole", async () => {
    const parts = (reply: Awaited<ReturnType<PricesService['setPrice']>>) =>
      reply.ok && {
        cached: reply.value.cachedInputPerMillionMicros,
        write: reply.value.cacheWritePerMillionMicros,
        reasoning: reply.value.reasoningPerMillionMicros,
      };

    const created = await sut.setPrice({
      model: 'm-parts',
      inputPerMillionMicros: '2500000',
      cachedInputPerMillionMicros: '1250000',
      cacheWritePerMillionMicros: '3125000',
      reasoningPerMillionMicros: '0',
    });
    const kept = await sut.setPrice({ model: 'm-parts', outputPerMillionMicros: '10000000' });
    const cleared = await sut.setPrice({ model: 'm-parts', cacheWritePerMillionMicros: null });

    expect(parts(created)).toEqual({ cached: '1250000', write: '3125000', reasoning: '0' });
    expect(parts(kept)).toEqual({ cached: '1250000', write: '3125000', reasoning: '0' });
    expect(parts(cleared)).toEqual({ cached: '1250000', write: null, reasoning: '0' });
    expect(await book.price('m-parts')).toEqual({
      model: 'm-parts',
      inputPerMillionMicros: 2_500_000n,
      outputPerMillionMicros: 10_000_000n,
      imagePriceMicros: {},
      charactersPerMillionMicros: 0n,
      cachedInputPerMillionMicros: 1_250_000n,
      cacheWritePerMillionMicros: null,
      reasoningPerMillionMicros: 0n,
      audioPerMinuteMicros: null,
    });
    // A new model given only a part's price (null included) is still a price change, at 0 for the rest.
    expect(parts(await sut.setPrice({ model: 'm-parts-2', reasoningPerMillionMicros: null }))).toEqual({
      cached: null,
      write: null,
      reasoning: null,
    });
  });

  it('sets, keeps and clears the price per audio minute', async () => {
    const minute = (reply: Awaited<ReturnType<PricesService['setPrice']>>) =>
      reply.ok && reply.value.audioPerMinuteMicros;

    expect(minute(await sut.setPrice({ model: 'whisper-x', audioPerMinuteMicros: '6000' }))).toBe('6000');
    expect(minute(await sut.setPrice({ model: 'whisper-x', inputPerMillionMicros: '0' }))).toBe('6000');
    expect((await book.price('whisper-x'))?.audioPerMinuteMicros).toBe(6_000n);
    expect(minute(await sut.setPrice({ model: 'whisper-x', audioPerMinuteMicros: null }))).toBeNull();
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
