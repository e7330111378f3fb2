import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import { createCustomer, type Customer } from './support/fixtures.js';
import { randomKey, useSuite } from './support/suite.js';

/** A budget of 20 failures a minute gives one back every 3 s: short enough to wait for. */
const FAILURES_PER_MINUTE = 20;
const INTERVAL_MS = 60_000 / FAILURES_PER_MINUTE;

interface Answer {
  status: number;
  retryAfter: string | null;
  code: string | null;
  message: string;
}

describe('auth: failed authentications are throttled per client address', () => {
  // The edge believes X-Forwarded-For from loopback, so each test chooses the client address it calls from.
  const suite = useSuite({
    env: { TRUSTED_PROXIES: '127.0.0.1/32', AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE) },
  });
  let customer: Customer;

  beforeAll(async () => {
    customer = await createCustomer(suite, { balance: '5' });
  });

  async function listModels(key: string, clientIp: string): Promise<Answer> {
    const response = await fetch(`${suite.edgeUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': clientIp },
    });
    const body = (await response.json()) as { error?: { code: string | null; message: string } };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.error?.code ?? null,
      message: body.error?.message ?? '',
    };
  }

  it('answers 401 to a burst of the budget, then 429 with Retry-After, and 401 again once a failure is given back', async () => {
    const guesser = '203.0.113.7';
    const startedAt = Date.now();
    const burst = await Promise.all(
      Array.from({ length: FAILURES_PER_MINUTE }, () => listModels(randomKey(), guesser)),
    );
    expect(burst.map((answer) => answer.status)).toEqual(Array(FAILURES_PER_MINUTE).fill(401));

    const throttled = await listModels(randomKey(), guesser);
    expect(throttled).toEqual({
      status: 429,
      retryAfter: String(INTERVAL_MS / 1000),
      code: 'too_many_failed_authentications',
      message: 'Too many failed authentications from your address; please try again later.',
    });

    // Meanwhile a valid key from another address is served, and a valid key from the guesser's is refused unread.
    expect((await listModels(customer.key, '203.0.113.8')).status).toBe(200);
    expect((await listModels(customer.key, guesser)).status).toBe(429);

    const after = await eventually(
      async () => {
        const answer = await listModels(randomKey(), guesser);
        expect(answer.status).toBe(401);
        return { answeredAt: Date.now() };
      },
      { timeoutMs: INTERVAL_MS + 5_000, intervalMs: 200 },
    );
    expect(after.answeredAt - startedAt).toBeGreaterThanOrEqual(INTERVAL_MS);
    // One failure was given back, and it is spent.
    expect((await listModels(randomKey(), guesser)).status).toBe(429);
  });

  it('counts only invalid keys: a valid key and a missing token cost an address nothing', async () => {
    const client = '203.0.113.9';
    for (let i = 0; i < FAILURES_PER_MINUTE + 5; i++) expect((await listModels(customer.key, client)).status).toBe(200);
    const noToken = await fetch(`${suite.edgeUrl}/v1/models`, { headers: { 'x-forwarded-for': client } });
    expect(noToken.status).toBe(401);
    const guesses = await Promise.all(
      Array.from({ length: FAILURES_PER_MINUTE }, () => listModels(randomKey(), client)),
    );
    expect(guesses.map((answer) => answer.status)).toEqual(Array(FAILURES_PER_MINUTE).fill(401));
  });
});
