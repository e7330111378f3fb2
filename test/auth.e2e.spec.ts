import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { useSuite } from './support/suite.js';

const MESSAGES = [{ role: 'user', content: 'Hi' }];
const last6 = (key: string) => key.slice(-6);

interface ErrorBody {
  error: { message: string; code: string | null; tid: string; type: string };
}

describe('auth: keys, users, roles and every authentication row of the table', () => {
  const suite = useSuite({ replicas: { auth: 2 } });
  let trustingEdgeUrl: string;
  let channelId: number;

  beforeAll(async () => {
    // A second edge that trusts the loopback address as its reverse proxy.
    trustingEdgeUrl = (await suite.startEdge({ TRUSTED_PROXIES: '127.0.0.1/32' })).url;
    channelId = await createChannel(suite, { models: ['gpt-4o-mini', 'gpt-4o'] });
    await setPrice(suite, 'gpt-4o-mini');
    await setPrice(suite, 'gpt-4o');
  });

  async function call(
    key: string | null,
    {
      model = 'gpt-4o-mini',
      headers = {},
      baseUrl = suite.edgeUrl,
    }: { model?: string; headers?: Record<string, string>; baseUrl?: string } = {},
  ): Promise<{ status: number; body: ErrorBody; tid: string | null }> {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: JSON.stringify({ model, messages: MESSAGES, max_tokens: 5 }),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody, tid: response.headers.get('x-tid') };
  }

  /** Changes reach every replica's cache by broadcast, within the documented second. */
  const PROPAGATION = { timeoutMs: 1000 };

  function expectDenial(result: Awaited<ReturnType<typeof call>>, status: number, message: string): void {
    expect({ status: result.status, message: result.body.error?.message }).toEqual({ status, message });
    expect(result.body.error.tid).toMatch(/^[0-9a-f]{32}$/);
    expect(result.tid).toBe(result.body.error.tid);
  }

  it('401 when no access token is supplied (no header, or not a Bearer token)', async () => {
    const message = 'Unauthorized – no access token supplied; please log in and include a valid token.';
    expectDenial(await call(null), 401, message);
    expectDenial(await call(null, { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, message);
  });

  it('401 for an unknown key', async () => {
    expectDenial(await call(`sk-${'Z'.repeat(48)}`), 401, 'Unauthorized – access token is invalid or expired.');
  });

  it('serves a valid key', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    expect((await call(customer.key)).status).toBe(200);
  });

  it('401 after the expiry instant, not before', async () => {
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const customer = await createCustomer(suite, { balance: '5', key: { expires_at: expiresAt } });
    expect((await call(customer.key)).status).toBe(200);
    const refused = await eventually(
      async () => {
        const result = await call(customer.key);
        if (result.status === 200) throw new Error('the key is still served');
        return { result, answeredAt: Date.now() };
      },
      { timeoutMs: Date.parse(expiresAt) - Date.now() + 2000, intervalMs: 100 },
    );
    expectDenial(refused.result, 401, 'Unauthorized – access token is invalid or expired.');
    expect(refused.answeredAt).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it('403 for a suspended account, and back when reactivated', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    expect((await call(customer.key)).status).toBe(200); // now cached by the edge
    expect((await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { status: 'suspended' })).status).toBe(
      200,
    );
    await eventually(async () => expectDenial(await call(customer.key), 403, 'Account suspended.'), PROPAGATION);
    await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { status: 'active' });
    await eventually(async () => expect((await call(customer.key)).status).toBe(200), PROPAGATION);
  });

  it('403 outside the key’s IPv4 ranges, served inside them', async () => {
    const outside = await createCustomer(suite, { balance: '5', key: { allowed_ip_ranges: ['10.0.0.0/8'] } });
    expectDenial(
      await call(outside.key),
      403,
      `Forbidden – key(${last6(outside.key)}) allowed only from approved IP ranges.`,
    );
    const inside = await createCustomer(suite, {
      balance: '5',
      key: { allowed_ip_ranges: ['127.0.0.0/8', '2001:db8::/32'] },
    });
    expect((await call(inside.key)).status).toBe(200);
  });

  describe('forwarded client addresses', () => {
    let v6: Customer;
    beforeAll(async () => {
      v6 = await createCustomer(suite, { balance: '5', key: { allowed_ip_ranges: ['2001:db8::/32'] } });
    });

    it('believes X-Forwarded-For from a trusted proxy (IPv6 inside the range)', async () => {
      const result = await call(v6.key, { baseUrl: trustingEdgeUrl, headers: { 'x-forwarded-for': '2001:db8::7' } });
      expect(result.status).toBe(200);
    });

    it('refuses a trusted-proxy IPv6 client outside the range', async () => {
      expectDenial(
        await call(v6.key, { baseUrl: trustingEdgeUrl, headers: { 'x-forwarded-for': '2001:db9::7' } }),
        403,
        `Forbidden – key(${last6(v6.key)}) allowed only from approved IP ranges.`,
      );
    });

    it('ignores X-Forwarded-For from an untrusted peer', async () => {
      expectDenial(
        await call(v6.key, { headers: { 'x-forwarded-for': '2001:db8::7', 'x-real-ip': '2001:db8::8' } }),
        403,
        `Forbidden – key(${last6(v6.key)}) allowed only from approved IP ranges.`,
      );
    });
  });

  it('403 for a model the key may not use', async () => {
    const customer = await createCustomer(suite, { balance: '5', key: { allowed_models: ['gpt-4o-mini'] } });
    expect((await call(customer.key, { model: 'gpt-4o-mini' })).status).toBe(200);
    expectDenial(
      await call(customer.key, { model: 'gpt-4o' }),
      403,
      `Forbidden – key(${last6(customer.key)}) not authorized to access the requested model.`,
    );
  });

  it('403 "Key error" when a non-admin pins a channel; an admin pin passes', async () => {
    const user = await createCustomer(suite, { balance: '5' });
    expectDenial(await call(`${user.key}-${channelId}`), 403, `Key error;(${last6(user.key)})`);
    const admin = await createCustomer(suite, { balance: '5', role: 'admin' });
    expect((await call(`${admin.key}-${channelId}`)).status).toBe(200);
  });

  describe('roles on the admin API', () => {
    const forbidden = 'Forbidden – insufficient permissions.';

    it('refuses every admin route to a user key', async () => {
      const user = await createCustomer(suite);
      for (const [method, path] of [
        ['GET', '/admin/v1/users'],
        ['GET', '/admin/v1/channels'],
        ['GET', '/admin/v1/prices'],
      ] as const) {
        const result = await suite.admin<ErrorBody>(method, path, undefined, user.key);
        expect({ path, status: result.status, message: result.body.error.message }).toEqual({
          path,
          status: 403,
          message: forbidden,
        });
      }
    });

    it('lets billing staff reach billing routes, and find and read users, but change none', async () => {
      const staff = await createCustomer(suite, { role: 'billing' });
      const customer = await createCustomer(suite);
      await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { email: 'found.by.staff@example.com' });
      expect((await suite.admin('GET', '/admin/v1/prices', undefined, staff.key)).status).toBe(200);
      const found = await suite.admin<{ data: Array<{ id: string }> }>(
        'GET',
        '/admin/v1/users?search=FOUND.BY.STAFF',
        undefined,
        staff.key,
      );
      expect([found.status, found.body.data.map((user) => user.id)]).toEqual([200, [customer.userId]]);
      const user = await suite.admin<{ id: string }>('GET', `/admin/v1/users/${customer.userId}`, undefined, staff.key);
      expect([user.status, user.body.id]).toEqual([200, customer.userId]);
      for (const [method, path, body] of [
        ['POST', '/admin/v1/users', { name: 'by-staff' }],
        ['PATCH', `/admin/v1/users/${customer.userId}`, { role: 'admin' }],
        ['GET', '/admin/v1/channels', undefined],
      ] as const) {
        const refused = await suite.admin<ErrorBody>(method, path, body, staff.key);
        expect({ path, status: refused.status, message: refused.body.error.message }).toEqual({
          path,
          status: 403,
          message: forbidden,
        });
      }
    });

    it("lets billing staff read a customer's keys for a customer page, but not create, change or revoke one", async () => {
      const staff = await createCustomer(suite, { role: 'billing' });
      const customer = await createCustomer(suite, { balance: '10' });
      const budgeted = await suite.admin<{ id: string; key: string }>(
        'POST',
        `/admin/v1/users/${customer.userId}/keys`,
        { name: 'backend', budget: '12.5' },
      );
      expect((await call(customer.key)).status).toBe(200);

      // Auth records a key's last use off the reply path, at most once a minute per key.
      const listed = await eventually(async () => {
        const result = await suite.admin<{ data: Array<Record<string, unknown>> }>(
          'GET',
          `/admin/v1/users/${customer.userId}/keys`,
          undefined,
          staff.key,
        );
        expect(result.status).toBe(200);
        const used = result.body.data.find((key) => key.id === customer.keyId);
        expect(used?.last_used_at).toEqual(expect.any(String));
        return result.body.data;
      });
      const shown = listed.find((key) => key.id === budgeted.body.id);
      expect(shown).toMatchObject({
        name: 'backend',
        last6: last6(budgeted.body.key),
        status: 'active',
        budget: '12.500000',
        last_used_at: null,
      });
      // Never the key, nor its hash: the key is in the create answer only.
      for (const key of listed) {
        expect(Object.keys(key)).not.toEqual(expect.arrayContaining(['key']));
        expect(JSON.stringify(key)).not.toContain(budgeted.body.key.slice(3));
        expect(Object.keys(key).filter((field) => /hash|secret/.test(field))).toEqual([]);
      }

      for (const [method, path, body] of [
        ['POST', `/admin/v1/users/${customer.userId}/keys`, { name: 'by-staff' }],
        ['PATCH', `/admin/v1/keys/${customer.keyId}`, { budget: '1' }],
        ['POST', `/admin/v1/keys/${customer.keyId}/revoke`, {}],
      ] as const) {
        const refused = await suite.admin<ErrorBody>(method, path, body, staff.key);
        expect({ path, status: refused.status, message: refused.body.error.message }).toEqual({
          path,
          status: 403,
          message: forbidden,
        });
      }
      // The refused revoke changed nothing.
      expect((await call(customer.key)).status).toBe(200);
    });

    it('lets an admin do everything except create or change root users', async () => {
      const admin = await createCustomer(suite, { role: 'admin' });
      expect((await suite.admin('POST', '/admin/v1/users', { name: 'u', role: 'billing' }, admin.key)).status).toBe(
        201,
      );
      const root = await suite.admin<ErrorBody>('POST', '/admin/v1/users', { name: 'r', role: 'root' }, admin.key);
      expect([root.status, root.body.error.message]).toEqual([403, forbidden]);
      const promote = await suite.admin<ErrorBody>(
        'PATCH',
        `/admin/v1/users/${admin.userId}`,
        { role: 'root' },
        admin.key,
      );
      expect([promote.status, promote.body.error.message]).toEqual([403, forbidden]);
      expect((await suite.admin('POST', '/admin/v1/users', { name: 'r2', role: 'root' })).status).toBe(201);
    });
  });

  it('answers invalid admin input with a 400 naming the field', async () => {
    const result = await suite.admin<ErrorBody & { error: { param: string } }>('POST', '/admin/v1/users', {
      name: 'x',
      role: 'emperor',
    });
    expect(result.status).toBe(400);
    expect(result.body.error.param).toBe('role');
    const badRange = await suite.admin<ErrorBody & { error: { param: string } }>(
      'POST',
      `/admin/v1/users/${(await createCustomer(suite)).userId}/keys`,
      { allowed_ip_ranges: ['10.0.0/8'] },
    );
    expect([badRange.status, badRange.body.error.param]).toEqual([400, 'allowed_ip_ranges']);
  });

  it('honours a revocation on both auth replicas within a second', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    // Each call from its own client address (the second edge trusts loopback as its proxy): the edge
    // shares one auth request among overlapping lookups of one key from one address, so a burst from a
    // single address would reach one replica only.
    const burst = (size: number) =>
      Promise.all(
        Array.from({ length: size }, (_, i) =>
          call(customer.key, { baseUrl: trustingEdgeUrl, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }),
        ),
      );
    // Warm both replicas' caches.
    const before = await burst(10);
    expect(before.map((r) => r.status)).toEqual(Array(10).fill(200));
    const logOffsets = suite.processes('auth').map((replica) => replica.output().length);
    expect((await suite.admin('POST', `/admin/v1/keys/${customer.keyId}/revoke`)).status).toBe(200);
    await eventually(async () => {
      const after = await burst(20);
      expect(after.map((r) => r.status)).toEqual(Array(20).fill(401));
    }, PROPAGATION);
    // Both replicas answered some of these, and both refused the revoked key.
    suite.processes('auth').forEach((replica, i) => {
      const newLines = replica.output().slice(logOffsets[i]).split('\n');
      expect(newLines.some((line) => line.includes(customer.keyId) && line.includes('authentication refused'))).toBe(
        true,
      );
    });
  });

  it('records when a key was last used', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    type Keys = { data: Array<{ id: string; last_used_at: string | null }> };
    const before = await suite.admin<Keys>('GET', `/admin/v1/users/${customer.userId}/keys`);
    expect(before.body.data[0]?.last_used_at).toBeNull();
    expect((await call(customer.key)).status).toBe(200);
    // Written off the request path, at most once a minute per key.
    await eventually(
      async () => {
        const after = await suite.admin<Keys>('GET', `/admin/v1/users/${customer.userId}/keys`);
        expect(after.body.data[0]?.last_used_at).toEqual(expect.any(String));
      },
      { timeoutMs: 3000 },
    );
  });

  it('never stores, logs or returns the raw key except in the response that created it', async () => {
    const customer = await createCustomer(suite, { balance: '5' });
    await call(customer.key);
    const listed = await suite.admin('GET', `/admin/v1/users/${customer.userId}/keys`);
    expect(JSON.stringify(listed.body)).not.toContain(customer.key);
    expect(JSON.stringify(listed.body)).toContain(last6(customer.key));
    for (const service of ['edge', 'auth', 'router', 'billing'] as const) {
      expect(suite.logs(service)).not.toContain(customer.key.slice(3));
    }
    const db = new pg.Client({ connectionString: suite.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query('SELECT * FROM auth.api_keys');
      expect(JSON.stringify(rows.rows)).not.toContain(customer.key.slice(3));
    } finally {
      await db.end();
    }
  });
});
