import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { useSuite, type Suite } from './support/suite.js';

/**
 * Every denial row of the documented table (/work/shared/seed/error-codes.txt)
 * on the two client dialects: `/v1/responses` answers in OpenAI's error shape,
 * `/v1/messages` in Anthropic's envelope. The rows prompt_missing,
 * prompt_too_long, text_too_long, size_not_supported and n_not_within_range
 * are about image and speech bodies: they cannot happen on these routes, so
 * they are not repeated here (test/openai-errors.e2e.spec.ts covers them).
 */

const TID = /^[0-9a-f]{32}$/;
const MODEL = 'e2e-denials';
const OTHER_MODEL = 'e2e-denials-other';
const LIMITED_MODEL = 'e2e-denials-limited';
const last6 = (key: string) => key.slice(-6);

interface Dialect {
  name: string;
  path: string;
  /** The headers a client of the dialect sends its key in (none for a null key). */
  headers(key: string | null): Record<string, string>;
  body(model: string): unknown;
  /** Asserts the dialect's error shape: status, message word for word, identifier, tid in body and X-Tid. */
  expectDenial(answer: Answer, status: number, message: string, code: string | null): void;
}

interface Answer {
  status: number;
  tid: string | null;
  body: { type?: string; error: Record<string, unknown> };
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  429: 'rate_limit_error',
  503: 'overloaded_error',
};

const DIALECTS: Dialect[] = [
  {
    name: 'Responses (/v1/responses, OpenAI error shape)',
    path: '/v1/responses',
    headers: (key): Record<string, string> => (key === null ? {} : { authorization: `Bearer ${key}` }),
    body: (model) => ({ model, input: 'Hi', max_output_tokens: 16 }),
    expectDenial(answer, status, message, code) {
      expect(answer.status).toBe(status);
      expect(answer.body.error).toEqual({
        message,
        type: expect.any(String),
        param: null,
        code,
        tid: expect.stringMatching(TID),
      });
      expect(answer.tid).toBe(answer.body.error.tid);
    },
  },
  {
    name: "Messages (/v1/messages, Anthropic's envelope)",
    path: '/v1/messages',
    headers: (key) => ({ 'anthropic-version': '2023-06-01', ...(key === null ? {} : { 'x-api-key': key }) }),
    body: (model) => ({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
    expectDenial(answer, status, message, code) {
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({
        type: 'error',
        error: {
          type: ANTHROPIC_TYPES[status],
          message,
          // Anthropic's envelope names an identifier only where the table has one.
          ...(code === null ? {} : { code }),
          tid: expect.stringMatching(TID),
        },
      });
      expect(answer.tid).toBe(answer.body.error.tid);
    },
  },
];

/** One row of the table: how to provoke it (a key and a model), and what the client must see. */
interface DenialCase {
  row: string;
  status: number;
  /** The key (null: none sent), the model, and the expected message for that key. */
  setUp(): Promise<{
    key: string | null;
    model: string;
    message: string;
    code?: string | null;
    before?: () => Promise<void>;
  }>;
  /** Some denials reach every cache within a second: the first answer may still be a 200. */
  eventual?: boolean;
}

describe('client dialects: every denial of the documented table', () => {
  const suite: Suite = useSuite();
  let channelId: number;
  let disabledChannelId: number;
  let admin: Customer;

  beforeAll(async () => {
    channelId = await createChannel(suite, { models: [MODEL, OTHER_MODEL] });
    await createChannel(suite, { models: [LIMITED_MODEL] });
    disabledChannelId = await createChannel(suite, { models: [MODEL] });
    for (const model of [MODEL, OTHER_MODEL, LIMITED_MODEL]) await setPrice(suite, model);
    suite.fake.setDefaults({ byModel: { [LIMITED_MODEL]: { status: 429, retryAfter: 7 } } });
    admin = await createCustomer(suite, { balance: '5', role: 'admin', key: { rpm_limit: 100_000 } });
    const disabled = await suite.admin('PATCH', `/admin/v1/channels/${disabledChannelId}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);
  });

  async function send(dialect: Dialect, key: string | null, model: string, extra: Record<string, string> = {}) {
    const response = await fetch(`${suite.edgeUrl}${dialect.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...dialect.headers(key), ...extra },
      body: JSON.stringify(dialect.body(model)),
    });
    const text = await response.text();
    return { status: response.status, tid: response.headers.get('x-tid'), body: JSON.parse(text) as Answer['body'] };
  }

  const CASES: DenialCase[] = [
    {
      row: '401 no access token supplied',
      status: 401,
      setUp: async () => ({
        key: null,
        model: MODEL,
        message: 'Unauthorized – no access token supplied; please log in and include a valid token.',
      }),
    },
    {
      row: '401 access token invalid or expired',
      status: 401,
      setUp: async () => ({
        key: `sk-${'Z'.repeat(48)}`,
        model: MODEL,
        message: 'Unauthorized – access token is invalid or expired.',
      }),
    },
    {
      row: '403 account suspended',
      status: 403,
      eventual: true,
      setUp: async () => {
        const customer = await createCustomer(suite, { balance: '5' });
        const suspended = await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { status: 'suspended' });
        expect(suspended.status).toBe(200);
        return { key: customer.key, model: MODEL, message: 'Account suspended.' };
      },
    },
    {
      row: '403 outside the approved IP ranges',
      status: 403,
      setUp: async () => {
        const customer = await createCustomer(suite, { balance: '5', key: { allowed_ip_ranges: ['10.0.0.0/8'] } });
        return {
          key: customer.key,
          model: MODEL,
          message: `Forbidden – key(${last6(customer.key)}) allowed only from approved IP ranges.`,
        };
      },
    },
    {
      row: '403 model not authorized for the key',
      status: 403,
      setUp: async () => {
        const customer = await createCustomer(suite, { balance: '5', key: { allowed_models: [MODEL] } });
        return {
          key: customer.key,
          model: OTHER_MODEL,
          message: `Forbidden – key(${last6(customer.key)}) not authorized to access the requested model.`,
        };
      },
    },
    {
      row: '403 Key error: a non-admin pins a channel',
      status: 403,
      setUp: async () => {
        const customer = await createCustomer(suite, { balance: '5' });
        return { key: `${customer.key}-${channelId}`, model: MODEL, message: `Key error;(${last6(customer.key)})` };
      },
    },
    {
      row: '403 channel disabled (an admin pins it)',
      status: 403,
      eventual: true,
      setUp: async () => ({
        key: `${admin.key}-${disabledChannelId}`,
        model: MODEL,
        message: 'Forbidden – channel has been disabled.',
      }),
    },
    {
      row: '400 invalid channel ID',
      status: 400,
      setUp: async () => ({ key: `${admin.key}-999999`, model: MODEL, message: 'Bad Request – invalid channel ID.' }),
    },
    {
      row: '503 no available channel',
      status: 503,
      setUp: async () => ({
        key: admin.key,
        model: 'e2e-nobody-serves-this',
        message:
          'Incorrect model ID. Please request to view the model page or you do not have permission to use this model',
      }),
    },
    {
      row: '503 rate limited by provider',
      status: 503,
      setUp: async () => ({
        key: admin.key,
        model: LIMITED_MODEL,
        message: 'Rate limited by provider – contact support to request higher concurrency or try again later.',
      }),
    },
    {
      row: '429 too many requests (the key RPM limit)',
      status: 429,
      setUp: async () => {
        const customer = await createCustomer(suite, { balance: '5', key: { rpm_limit: 1 } });
        return {
          key: customer.key,
          model: MODEL,
          message: `The ${MODEL} model Too many requests; please try again later.`,
          // The one request a minute the key may make.
          before: async () => expect((await send(DIALECTS[0], customer.key, MODEL)).status).toBe(200),
        };
      },
    },
    {
      row: '403 insufficient_user_quota (balance 0)',
      status: 403,
      setUp: async () => {
        const customer = await createCustomer(suite);
        return {
          key: customer.key,
          model: MODEL,
          message: 'Your account balance is insufficient. Please recharge your account to continue using the API.',
          code: 'insufficient_user_quota',
        };
      },
    },
  ];

  describe.each(DIALECTS)('$name', (dialect) => {
    it.each(CASES)('$row', async (denial) => {
      const { key, model, message, code = null, before } = await denial.setUp();
      await before?.();
      const check = async () => dialect.expectDenial(await send(dialect, key, model), denial.status, message, code);
      if (denial.eventual) await eventually(check, { timeoutMs: 2000 });
      else await check();
    });
  });
});
