import { describe, expect, it, beforeAll } from '@jest/globals';
import { createChannel, createCustomer, type Customer } from './support/fixtures.js';
import { expectBooksBalanced, settledCharge } from './support/ledger.js';
import { openaiClient } from './support/openai-client.js';
import { useSuite, type Suite } from './support/suite.js';

/** 4804 characters: the fake provider reports ceil(4804 / 4) = 1201 prompt tokens in every dialect. */
const messages = [{ role: 'user' as const, content: 'x'.repeat(4804) }];
/** 300 output tokens, 120 of them reasoning; 801 input tokens read from the cache, 100 written to it. */
const CONTROLS = { completionTokens: 300, reasoningTokens: 120, cachedTokens: 801, cacheWriteTokens: 100 };
const PRICES = {
  input_per_million: '2.5',
  output_per_million: '10',
  cached_input_per_million: '1.25',
  cache_write_per_million: '3.125',
  reasoning_per_million: '12',
};

/**
 * One row per channel type: how to reach the fake provider in that dialect,
 * and which parts the dialect reports at all. OpenAI's, Azure's and Gemini's
 * usage has no field for cache writes, so the fake reports none there; Anthropic
 * reports no thinking tokens apart from the output, so they are billed as
 * output, as Anthropic bills them.
 */
interface ChannelType {
  type: string;
  channel: (suite: Suite) => Record<string, unknown>;
  reportsCacheWrites: boolean;
  reportsReasoning: boolean;
}

const TYPES: ChannelType[] = [
  {
    type: 'openai',
    channel: (suite) => ({ base_url: `${suite.fake.url}/v1` }),
    reportsCacheWrites: false,
    reportsReasoning: true,
  },
  {
    type: 'azure',
    channel: (suite) => ({ type: 'azure', base_url: suite.fake.url, api_key: 'azure-upstream-key-0123456789' }),
    reportsCacheWrites: false,
    reportsReasoning: true,
  },
  {
    type: 'anthropic',
    channel: (suite) => ({ type: 'anthropic', base_url: suite.fake.url, api_key: 'sk-ant-upstream-0123456789' }),
    reportsCacheWrites: true,
    reportsReasoning: false,
  },
  {
    type: 'gemini',
    channel: (suite) => ({ type: 'gemini', base_url: suite.fake.url, api_key: 'gemini-upstream-key-0123456789' }),
    reportsCacheWrites: false,
    reportsReasoning: true,
  },
];

/** In micro-units, rounded up once: (uncached × input + cached + cache writes + plain output + reasoning) at their prices. */
function expectedCharge({ reportsCacheWrites, reportsReasoning }: ChannelType): bigint {
  const cacheWrite = reportsCacheWrites ? CONTROLS.cacheWriteTokens : 0;
  const reasoning = reportsReasoning ? CONTROLS.reasoningTokens : 0;
  const millionths =
    (1201 - CONTROLS.cachedTokens - cacheWrite) * 2.5 +
    CONTROLS.cachedTokens * 1.25 +
    cacheWrite * 3.125 +
    (CONTROLS.completionTokens - reasoning) * 10 +
    reasoning * 12;
  return BigInt(Math.ceil(millionths));
}

describe('pricing to the token, through every channel type', () => {
  const suite = useSuite();

  beforeAll(async () => {
    for (const { type, channel } of TYPES) {
      const model = `e2e-parts-${type}`;
      await createChannel(suite, { models: [model], model_mapping: { [model]: `up-${type}` }, ...channel(suite) });
      const price = await suite.admin('PUT', `/admin/v1/prices/${model}`, PRICES);
      expect(price.status).toBe(200);
      suite.fake.setDefaults({ byModel: { [`up-${type}`]: CONTROLS } });
    }
  });

  async function chat(customer: Customer, model: string, stream: boolean): Promise<void> {
    const client = openaiClient(suite, customer.key);
    if (!stream) {
      await client.chat.completions.create({ model, messages });
      return;
    }
    const chunks = await client.chat.completions.create({ model, messages, stream: true });
    for await (const chunk of chunks) void chunk;
  }

  describe.each(TYPES)('$type', (row) => {
    it.each([false, true])('charges each token kind at its price, to the micro-unit (stream: %s)', async (stream) => {
      const customer = await createCustomer(suite, { balance: '5' });

      await chat(customer, `e2e-parts-${row.type}`, stream);

      expect(await settledCharge(suite, customer)).toBe(expectedCharge(row));
      const charge = (await expectBooksBalanced(suite, customer.userId)).find((entry) => entry.type === 'charge');
      const input = row.reportsCacheWrites ? '1201 in (801 cached, 100 cache write)' : '1201 in (801 cached)';
      const output = row.reportsReasoning ? '300 out (120 reasoning)' : '300 out';
      expect(charge?.reason).toContain(`${input}, ${output}`);
    });
  });
});
