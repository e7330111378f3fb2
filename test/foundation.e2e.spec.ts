import { describe, expect, it } from '@jest/globals';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { useSuite } from './support/suite.js';
import { eventually } from '@tollgate/testing';

const SEED_401 = 'Unauthorized – no access token supplied; please log in and include a valid token.';

describe('foundation: the four services end to end', () => {
  const suite = useSuite();

  const chat = (
    key: string | null,
    body: unknown = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
  ) =>
    fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });

  it('answers a request without a key with the documented 401 and a tid found in edge and auth logs', async () => {
    const response = await chat(null);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(response.status).toBe(401);
    expect(body.error).toEqual({
      message: SEED_401,
      type: 'authentication_error',
      param: null,
      code: null,
      tid: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const tid = String(body.error.tid);
    expect(response.headers.get('x-tid')).toBe(tid);
    await eventually(
      () => {
        expect(suite.logs('edge')).toContain(tid);
        expect(suite.logs('auth')).toContain(tid);
      },
      { timeoutMs: 3000 },
    );
  });

  it('takes the tid from a W3C traceparent header', async () => {
    const response = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(response.headers.get('x-tid')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(((await response.json()) as { error: { tid: string } }).error.tid).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('reports every service on /healthz', async () => {
    const response = await fetch(`${suite.edgeUrl}/healthz`);
    const body = (await response.json()) as { status: string; services: Record<string, { ok: boolean }> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.services).sort()).toEqual(['auth', 'billing', 'edge', 'router']);
  });

  it('serves a chat completion from the upstream, holds and charges the balance, and writes the ledger', async () => {
    await createChannel(suite);
    await setPrice(suite, 'gpt-4o-mini', '1', '2');
    const customer = await createCustomer(suite, { balance: '10' });

    const response = await chat(customer.key);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tid')).toMatch(/^[0-9a-f]{32}$/);
    const completion = JSON.parse(text) as { object: string; model: string; usage: Record<string, number> };
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');

    // The upstream was called with the channel's key, never the client's.
    const upstreamCall = suite.fake.requests.at(-1);
    expect(upstreamCall?.headers.authorization).toBe('Bearer sk-upstream-secret-0000');

    // Settlement is asynchronous: wait for the charge to land.
    const usage = completion.usage;
    const expectedCost = BigInt(usage.prompt_tokens ?? 0) * 1n + BigInt(usage.completion_tokens ?? 0) * 2n; // micro-units
    type Ledger = { data: Array<{ type: string; amount: string }> };
    const ledger = await eventually(
      async () => {
        const { body } = await suite.admin<Ledger>('GET', `/admin/v1/users/${customer.userId}/ledger`);
        if (!body.data.some((entry) => entry.type === 'charge')) throw new Error('the charge is not in the ledger');
        return body;
      },
      { timeoutMs: 10_000 },
    );
    const types = ledger.data.map((entry) => entry.type).sort();
    expect(types).toEqual(expect.arrayContaining(['topup', 'hold', 'charge']));
    const balance = await suite.admin<{ balance: string; held: string }>(
      'GET',
      `/admin/v1/users/${customer.userId}/balance`,
    );
    const tenDollars = 10_000_000n;
    const remaining = BigInt(balance.body.balance.replace('.', ''));
    expect(tenDollars - remaining).toBe(expectedCost);
    expect(balance.body.held).toBe('0.000000');
  });

  it('fails fast with a 503 and a tid while auth is down, and recovers when it is back, without restarting the edge', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    await suite.stopService('auth');
    const started = Date.now();
    const response = await chat(customer.key);
    const body = (await response.json()) as { error: { code: string; tid: string } };
    expect(response.status).toBe(503);
    expect(body.error.code).toBe('service_unavailable');
    expect(body.error.tid).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.now() - started).toBeLessThan(5000);

    await suite.startService('auth');
    await eventually(async () => expect((await chat(customer.key)).status).toBe(200), { timeoutMs: 15_000 });
  });
});
