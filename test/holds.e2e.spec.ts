import { beforeAll, describe, expect, it } from '@jest/globals';
import { countChatInput } from '../apps/edge/src/relay/chat-input.js';
import { fakePromptTokens, fakeUsage } from '../tools/fake-provider/src/index.js';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { balanceOf, expectBooksBalanced, ledgerOf, micros } from './support/ledger.js';
import { useSuite } from './support/suite.js';

const QUOTA = 'Your account balance is insufficient. Please recharge your account to continue using the API.';

/** The edge's HOLD_INPUT_MARGIN default: what a model's first hold scales its input by. */
const DEFAULT_MARGIN = 1.5;

/** A prompt whose fake-provider count (characters / 4) equals its o200k chat count, checked below. */
const PROMPT =
  'Please summarise these meeting notes in three short bullet points for the weekly report. ' +
  'The team agreed to ship the billing changes on Thursday, after the load test passes on staging; ' +
  'support asked for clearer quota errors, and the holds must never let a burst overspend a balance. ' +
  'Tickets: #4471, #4480, #4492, #4503.';
const MAX_TOKENS = 5;
const body = (model: string) => ({ model, messages: [{ role: 'user', content: PROMPT }], max_tokens: MAX_TOKENS });

/** At $1 / $2 per million tokens: 1 micro-unit an input token, 2 an output token. */
const INPUT_MICROS = 1n;
const OUTPUT_MICROS = 2n;

/** What the edge counts for the prompt (o200k, chat format overhead included). */
const COUNTED = countChatInput(body('any')).total;

/** The true cost of one request, as the fake provider reports its usage with the given input factor. */
function trueCost(inputTokenFactor: number): bigint {
  const usage = fakeUsage(body('any'), { inputTokenFactor });
  return BigInt(usage.prompt_tokens) * INPUT_MICROS + BigInt(usage.completion_tokens) * OUTPUT_MICROS;
}

/** A hold for the prompt whose input is scaled by `ratio` (the output hold is max_tokens, all of it used). */
const holdAt = (ratio: number): bigint =>
  BigInt(Math.ceil(COUNTED * ratio)) * INPUT_MICROS + BigInt(MAX_TOKENS) * OUTPUT_MICROS;

interface ErrorBody {
  error: { message: string; code: string | null };
}

describe('holds: a model whose tokenizer counts more than o200k still gets holds that cover', () => {
  const suite = useSuite();
  const factors = { 'wordy-first': 1.4, wordy: 1.4, wordier: 2 };

  beforeAll(async () => {
    await createChannel(suite, { models: Object.keys(factors) });
    for (const model of Object.keys(factors)) await setPrice(suite, model, '1', '2');
    suite.fake.setDefaults({
      byModel: Object.fromEntries(
        Object.entries(factors).map(([model, factor]) => [model, { inputTokenFactor: factor }]),
      ),
    });
  });

  const chat = async (key: string, model: string, messages?: unknown[]) => {
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(messages ? { ...body(model), messages } : body(model)),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  };

  /** The amounts of a user's ledger rows of one type, in micro-units, positive, smallest first. */
  const amounts = async (customer: Customer, type: 'hold' | 'charge') =>
    (await ledgerOf(suite, customer.userId))
      .filter((entry) => entry.type === type)
      .map((entry) => -micros(entry.amount))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it('counts the prompt as the fake provider does, so its factor is how much more than o200k it counts', () => {
    expect(fakePromptTokens(body('any'))).toBe(COUNTED);
    expect(trueCost(1.4)).toBe(BigInt(Math.round(COUNTED * 1.4)) * INPUT_MICROS + BigInt(MAX_TOKENS) * OUTPUT_MICROS);
  });

  it('covers a first request with the default margin alone, then holds exactly what the upstream counts', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    expect((await chat(customer.key, 'wordy-first')).status).toBe(200);
    await expectBooksBalanced(suite, customer.userId);
    // Nothing learned yet: the input is held at the margin, which covers 40 % more than o200k.
    expect(await amounts(customer, 'hold')).toEqual([holdAt(DEFAULT_MARGIN)]);
    expect(await amounts(customer, 'charge')).toEqual([trueCost(1.4)]);
    expect(holdAt(DEFAULT_MARGIN)).toBeGreaterThan(trueCost(1.4));

    expect((await chat(customer.key, 'wordy-first')).status).toBe(200);
    await expectBooksBalanced(suite, customer.userId);
    // Learned from the first answer: the second hold is the true cost, to the micro-unit.
    expect(await amounts(customer, 'hold')).toEqual([trueCost(1.4), holdAt(DEFAULT_MARGIN)]);
    expect(await amounts(customer, 'charge')).toEqual([trueCost(1.4), trueCost(1.4)]);
  });

  /** Warms the model's ratio, then sends 200 requests at once on a balance for exactly K of them. */
  async function burstOnBalanceFor(K: number, model: keyof typeof factors): Promise<void> {
    const warmer = await createCustomer(suite, { balance: '1' });
    for (let i = 0; i < 3; i++) expect((await chat(warmer.key, model)).status).toBe(200);

    const cost = trueCost(factors[model]);
    const customer = await createCustomer(suite, {
      balance: (Number(BigInt(K) * cost) / 1_000_000).toFixed(6),
      key: { rpm_limit: 10_000 },
    });
    // FailedAuthenticationLimiter takes a failure from the address's budget for every key lookup in flight,
    // valid keys too, so 200 first requests at once would meet 429s. A body refused after authentication
    // (and before any hold) puts the key in the edge's cache for this model first.
    expect((await chat(customer.key, model, [])).status).toBe(400);
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(customer.key, model)));

    const served = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 403 && r.body.error.code === 'insufficient_user_quota');
    expect(served).toBeLessThanOrEqual(K);
    // Each hold is the true cost exactly, so nothing is left over for another request, and nothing is missing.
    expect(served).toBe(K);
    expect(refused).toHaveLength(200 - K);
    expect(refused.every((r) => r.body.error.message === QUOTA)).toBe(true);
    const ledger = await expectBooksBalanced(suite, customer.userId);
    expect(ledger.filter((e) => e.type === 'charge').map((e) => -micros(e.amount))).toEqual(Array(K).fill(cost));
    expect((await balanceOf(suite, customer.userId)).balance).toBeGreaterThanOrEqual(0n);
    expect((await balanceOf(suite, customer.userId)).balance).toBe(0n);
  }

  it('serves at most K of a 200-way burst on a balance for K at 40 % more than o200k, and ends ≥ 0', async () => {
    await burstOnBalanceFor(37, 'wordy');
  });

  it('covers a tokenizer that counts twice as much, beyond the default margin, once learned', async () => {
    const probe = await createCustomer(suite, { balance: '1' });
    expect((await chat(probe.key, 'wordier')).status).toBe(200);
    await expectBooksBalanced(suite, probe.userId);
    // The margin alone falls short of this upstream: only the learned ratio makes the burst below safe.
    expect(await amounts(probe, 'hold')).toEqual([holdAt(DEFAULT_MARGIN)]);
    expect(holdAt(DEFAULT_MARGIN)).toBeLessThan(trueCost(2));

    await burstOnBalanceFor(23, 'wordier');
  });
});
