import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { BillingSubjects, SETTLEMENT_STREAM, type Settlement } from '@tollgate/contracts';
import { NatsBus } from '@tollgate/nats';
import { createLogger } from '@tollgate/observability';
import { createChannel, createCustomer, type Customer } from './support/fixtures.js';
import { expectBooksBalanced, settledCharge } from './support/ledger.js';
import { openaiClient } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

/** A model with a price for each token part, one whose parts follow their whole's price, one for the admin API. */
const PRICED = 'e2e-priced-parts';
const PLAIN = 'e2e-plain-parts';
const ADMINISTERED = 'e2e-administered-parts';

/** 4804 characters: the fake provider reports ceil(4804 / 4) = 1201 prompt tokens. */
const messages = [{ role: 'user' as const, content: 'x'.repeat(4804) }];
/** What the fake reports for every request to both models: 801 of the 1201 input tokens cached, 120 of 300 output reasoning. */
const CONTROLS = { completionTokens: 300, cachedTokens: 801, reasoningTokens: 120 };

interface PriceBody {
  model: string;
  input_per_million: string;
  output_per_million: string;
  cached_input_per_million: string | null;
  cache_write_per_million: string | null;
  reasoning_per_million: string | null;
}

describe('pricing to the token: cached input, cache writes and reasoning', () => {
  const suite = useSuite();

  const putPrice = (model: string, body: Record<string, unknown>) =>
    suite.admin<PriceBody>('PUT', `/admin/v1/prices/${model}`, body);

  beforeAll(async () => {
    await createChannel(suite, { models: [PRICED, PLAIN] });
    suite.fake.setDefaults({ byModel: { [PRICED]: CONTROLS, [PLAIN]: CONTROLS } });
    const prices = [
      await putPrice(PRICED, {
        input_per_million: '2.5',
        output_per_million: '10',
        cached_input_per_million: '1.25',
        cache_write_per_million: '3.125',
        reasoning_per_million: '12',
      }),
      await putPrice(PLAIN, { input_per_million: '2.5', output_per_million: '10' }),
    ];
    expect(prices.map((price) => price.status)).toEqual([200, 200]);
  });

  /** One chat request, JSON or streamed; returns the usage the client was shown. */
  async function chat(customer: Customer, model: string, stream: boolean) {
    const client = openaiClient(suite, customer.key);
    if (!stream) return (await client.chat.completions.create({ model, messages })).usage;
    let usage;
    const chunks = await client.chat.completions.create({
      model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of chunks) usage = chunk.usage ?? usage;
    return usage;
  }

  const chargeReason = async (customer: Customer) =>
    (await expectBooksBalanced(suite, customer.userId)).find((entry) => entry.type === 'charge')?.reason;

  it('sets, shows, keeps and clears the three prices on the admin API, and refuses a bad one naming it', async () => {
    const set = await putPrice(ADMINISTERED, {
      input_per_million: '2.5',
      output_per_million: '10',
      cached_input_per_million: '1.25',
      cache_write_per_million: '3.125',
      reasoning_per_million: '12',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      model: ADMINISTERED,
      input_per_million: '2.500000',
      output_per_million: '10.000000',
      cached_input_per_million: '1.250000',
      cache_write_per_million: '3.125000',
      reasoning_per_million: '12.000000',
    });
    const list = await suite.admin<{ data: PriceBody[] }>('GET', '/admin/v1/prices');
    expect(list.body.data.find((price) => price.model === ADMINISTERED)).toEqual(set.body);

    const kept = await putPrice(ADMINISTERED, { output_per_million: '8' });
    const cleared = await putPrice(ADMINISTERED, { cached_input_per_million: null, reasoning_per_million: null });
    expect(kept.body).toMatchObject({ output_per_million: '8.000000', reasoning_per_million: '12.000000' });
    expect(cleared.body).toMatchObject({
      input_per_million: '2.500000',
      cached_input_per_million: null,
      cache_write_per_million: '3.125000',
      reasoning_per_million: null,
    });

    const refused = await putPrice(ADMINISTERED, { cache_write_per_million: '-1' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { param: 'cache_write_per_million' } });
  });

  it.each([
    ['JSON', false],
    ['a stream', true],
  ])('charges each part at its own price, to the micro-unit, for %s', async (_what, stream) => {
    const customer = await createCustomer(suite, { balance: '1' });

    const usage = await chat(customer, PRICED, stream);

    // The client sees the upstream's usage, parts included.
    expect(usage).toMatchObject({
      prompt_tokens: 1201,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 801 },
      completion_tokens_details: { reasoning_tokens: 120 },
    });
    // 400 plain in × 2.5 + 801 cached × 1.25 + 180 plain out × 10 + 120 reasoning × 12
    // = 1000 + 1001.25 + 1800 + 1440 = 5241.25 micro-units, rounded up once: 5242.
    expect(await settledCharge(suite, customer)).toBe(5_242n);
    expect(await chargeReason(customer)).toBe(`${PRICED}: 1201 in (801 cached), 300 out (120 reasoning)`);
  });

  it('charges parts without a price of their own at the input and output prices', async () => {
    const customer = await createCustomer(suite, { balance: '1' });

    await chat(customer, PLAIN, false);

    // 1201 in × 2.5 + 300 out × 10 = 3002.5 + 3000 = 6002.5 → 6003.
    expect(await settledCharge(suite, customer)).toBe(6_003n);
    expect(await chargeReason(customer)).toBe(`${PLAIN}: 1201 in (801 cached), 300 out (120 reasoning)`);
  });

  it('shows the cached, cache-write and reasoning tokens in the usage report', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    await chat(customer, PRICED, false);
    await chat(customer, PRICED, true);
    await expectBooksBalanced(suite, customer.userId);

    const report = await suite.admin<{ data: unknown[] }>('GET', `/admin/v1/usage?user_id=${customer.userId}`);

    expect(report.status).toBe(200);
    expect(report.body.data).toEqual([
      expect.objectContaining({
        model: PRICED,
        requests: 2,
        input_tokens: 2402,
        output_tokens: 600,
        cached_input_tokens: 1602,
        cache_write_tokens: 0,
        reasoning_tokens: 240,
        cost: '0.010484',
      }),
    ]);
  });

  describe('settlements on the stream', () => {
    let bus: NatsBus | undefined;

    beforeAll(async () => {
      bus = await NatsBus.connect({
        servers: suite.natsUrl,
        name: 'pricing-e2e',
        requestTimeoutMs: 5000,
        logger: createLogger('pricing-e2e', 'silent'),
      });
    });
    afterAll(async () => {
      await bus?.close();
    });

    /**
     * What an edge does for a request whose upstream reported `usage`: a
     * reserve, then its settlement on the stream. Cache writes come from
     * providers the fake provider does not imitate (an adapter's answer in
     * OpenAI form), and an edge from before the token parts sends none.
     */
    async function settle(customer: Customer, usage: Settlement['usage']): Promise<void> {
      if (!bus) throw new Error('no NATS connection (did beforeAll fail?)');
      const holdId = randomUUID();
      const hold = await bus.request(BillingSubjects.reserve, {
        holdId,
        userId: customer.userId,
        keyId: customer.keyId,
        keySuffix: customer.key.slice(-6),
        group: 'default',
        model: PRICED,
        rpmLimit: null,
        budgetMicros: null,
        estimate: { inputTokens: 1000, outputTokens: 10, images: 0, imageSize: null, characters: 0 },
      });
      expect(hold).toMatchObject({ ok: true, value: { holdId } });
      const settlement: Settlement = {
        holdId,
        tid: randomUUID().replaceAll('-', ''),
        userId: customer.userId,
        keyId: customer.keyId,
        model: PRICED,
        channelId: null,
        succeeded: true,
        usage,
        httpStatus: 200,
        latencyMs: 1,
        stream: false,
      };
      await jetstream(bus.connection).publish(SETTLEMENT_STREAM.subject, JSON.stringify({ settlements: [settlement] }));
    }

    it('charges cache writes at their own price, to the micro-unit', async () => {
      const customer = await createCustomer(suite, { balance: '1' });

      await settle(customer, {
        inputTokens: 1000,
        outputTokens: 10,
        cachedInputTokens: 200,
        cacheWriteTokens: 333,
        reasoningTokens: 0,
        images: 0,
        characters: 0,
      });

      // 467 plain in × 2.5 + 200 cached × 1.25 + 333 written × 3.125 + 10 out × 10
      // = 1167.5 + 250 + 1040.625 + 100 = 2558.125 → 2559.
      expect(await settledCharge(suite, customer)).toBe(2_559n);
      expect(await chargeReason(customer)).toBe(`${PRICED}: 1000 in (200 cached, 333 cache write), 10 out`);
    });

    it('takes a settlement from an edge that sends no token parts: all at the input and output prices', async () => {
      const customer = await createCustomer(suite, { balance: '1' });

      await settle(customer, { inputTokens: 1000, outputTokens: 10, images: 0, characters: 0 });

      // 1000 × 2.5 + 10 × 10.
      expect(await settledCharge(suite, customer)).toBe(2_600n);
      expect(await chargeReason(customer)).toBe(`${PRICED}: 1000 in, 10 out`);
    });
  });
});
