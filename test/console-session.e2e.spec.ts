import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createCustomer, type Customer } from './support/fixtures.js';
import { assertDocumented } from './support/openapi-conformance.js';
import { useSuite } from './support/suite.js';

type ErrorBody = { error: { message: string; code: string | null; tid: string } };
interface SessionBody {
  object: string;
  user: { id: string; name: string; email: string | null; role: string };
  key: { id: string; name: string; last6: string };
  expires_at: string;
  csrf_token: string;
  currency: string;
}

const FORBIDDEN = 'Forbidden – insufficient permissions.';
const INVALID = 'Unauthorized – access token is invalid or expired.';
const CSRF = 'Forbidden – the CSRF token is missing or does not match this session; reload the console and try again.';

/**
 * The console's sign-in: a staff key exchanged at the edge for an HttpOnly,
 * SameSite=Strict session cookie that every admin route accepts, writes only
 * with the session's CSRF token; sessions live in auth, so every edge replica
 * serves them and a sign-out ends them everywhere at once.
 */
describe('console sessions', () => {
  // The suite's own address is a trusted proxy, so a test can say X-Forwarded-Proto: https as a TLS proxy would.
  const suite = useSuite({ env: { TRUSTED_PROXIES: '127.0.0.1/32' } });

  /** One call to an edge, the answer checked against the OpenAPI document. */
  async function call<T>(
    method: string,
    path: string,
    options: { cookie?: string; csrf?: string; body?: unknown; headers?: Record<string, string>; edge?: string } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${options.edge ?? suite.edgeUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const body = (await response.json()) as T;
    assertDocumented({
      method,
      path,
      status: response.status,
      contentType: response.headers.get('content-type'),
      body,
    });
    return { status: response.status, body, setCookie: response.headers.get('set-cookie'), headers: response.headers };
  }

  /** Signs in with a key; the cookie as a browser would send it back, and the session. */
  async function signIn(key: string, headers: Record<string, string> = {}) {
    const answer = await call<SessionBody>('POST', '/admin/v1/session', { body: { key }, headers });
    expect(answer.status).toBe(201);
    const cookie = answer.setCookie?.split(';')[0] ?? '';
    return { cookie, session: answer.body, setCookie: answer.setCookie ?? '' };
  }

  const staff = (role = 'billing', key: Record<string, unknown> = { name: 'console key' }) =>
    createCustomer(suite, { role, key });

  const topUpBody = (idempotencyKey: string) => ({
    amount: '1.5',
    reason: 'console e2e',
    idempotency_key: idempotencyKey,
  });

  it('exchanges a staff key for an HttpOnly, SameSite=Strict cookie with an expiry, and names the session', async () => {
    const billing = await staff();
    const before = Date.now();
    const { cookie, session, setCookie } = await signIn(billing.key);

    expect(cookie).toMatch(/^tollgate_session=tgs_[A-Za-z0-9_-]{43}$/);
    const attributes = setCookie.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/admin/v1']));
    expect(attributes).not.toContain('secure'); // plain HTTP, no trusted proxy saying TLS
    const maxAge = Number(attributes.find((part) => part.startsWith('max-age='))?.slice('max-age='.length));
    expect(maxAge).toBeGreaterThan(8 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(8 * 3600);
    expect(attributes.some((part) => part.startsWith('expires='))).toBe(true);

    expect(session).toMatchObject({
      object: 'console_session',
      user: { id: billing.userId, role: 'billing' },
      key: { id: billing.keyId, name: 'console key', last6: billing.key.slice(-6) },
      currency: 'USD',
    });
    expect(Date.parse(session.expires_at) - before).toBeGreaterThan(8 * 3600_000 - 60_000);
    expect(JSON.stringify(session)).not.toContain(billing.key.slice(3));
    expect(setCookie).not.toContain(billing.key.slice(3));

    const again = await call<SessionBody>('GET', '/admin/v1/session', { cookie });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(session);
    expect(again.headers.get('cache-control')).toBe('no-store');
  });

  it('lets the cookie read what the role may, and refuses the rest with the documented 403', async () => {
    const billing = await staff();
    const { cookie } = await signIn(billing.key);
    expect((await call('GET', `/admin/v1/users/${billing.userId}/balance`, { cookie })).status).toBe(200);
    const channels = await call<ErrorBody>('GET', '/admin/v1/channels', { cookie });
    expect([channels.status, channels.body.error.message]).toEqual([403, FORBIDDEN]);
  });

  it('refuses a write made with the cookie without its CSRF token, or with another session’s', async () => {
    const admin = await staff('admin');
    const customer = await createCustomer(suite);
    const mine = await signIn(admin.key);
    const other = await signIn(admin.key);
    const path = `/admin/v1/users/${customer.userId}/topups`;

    for (const csrf of [undefined, other.session.csrf_token, 'x', mine.session.csrf_token.slice(1)]) {
      const refused = await call<ErrorBody>('POST', path, { cookie: mine.cookie, csrf, body: topUpBody('csrf-1') });
      expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([
        403,
        'csrf_token_invalid',
        CSRF,
      ]);
    }
    const balance = await call<{ balance: string }>('GET', `/admin/v1/users/${customer.userId}/balance`, {
      cookie: mine.cookie,
    });
    expect(balance.body.balance).toBe('0.000000');

    const applied = await call('POST', path, {
      cookie: mine.cookie,
      csrf: mine.session.csrf_token,
      body: topUpBody('csrf-1'),
    });
    expect(applied.status).toBe(201);
    // A key in Authorization is no ambient credential: it needs no CSRF token, and the cookie beside it is ignored.
    const byKey = await call('POST', path, {
      cookie: mine.cookie,
      headers: { authorization: `Bearer ${admin.key}` },
      body: topUpBody('csrf-2'),
    });
    expect(byKey.status).toBe(201);
  });

  it('refuses sign-in with a key that is not staff, or not valid, with the documented errors', async () => {
    const customer = await createCustomer(suite);
    const user = await call<ErrorBody>('POST', '/admin/v1/session', { body: { key: customer.key } });
    expect([user.status, user.body.error.message, user.setCookie]).toEqual([403, FORBIDDEN, null]);

    const wrong = await call<ErrorBody>('POST', '/admin/v1/session', {
      body: { key: `${customer.key.slice(0, -1)}x` },
    });
    expect([wrong.status, wrong.body.error.message, wrong.setCookie]).toEqual([401, INVALID, null]);

    const missing = await call<ErrorBody & { error: { param: string } }>('POST', '/admin/v1/session', { body: {} });
    expect([missing.status, missing.body.error.param]).toEqual([400, 'key']);

    const forged = await call<ErrorBody>('GET', '/admin/v1/session', {
      cookie: 'tollgate_session=tgs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect([forged.status, forged.body.error.message]).toEqual([401, INVALID]);
  });

  it('ends every session of a key when the key is revoked, and refuses a suspended user’s', async () => {
    const billing = await staff();
    const { cookie } = await signIn(billing.key);
    await suite.admin('POST', `/admin/v1/keys/${billing.keyId}/revoke`, {});
    const revoked = await call<ErrorBody>('GET', '/admin/v1/session', { cookie });
    expect([revoked.status, revoked.body.error.message]).toEqual([401, INVALID]);

    const other: Customer = await staff();
    const second = await signIn(other.key);
    await suite.admin('PATCH', `/admin/v1/users/${other.userId}`, { status: 'suspended' });
    const suspended = await call<ErrorBody>('GET', '/admin/v1/session', { cookie: second.cookie });
    expect(suspended.status).toBe(403);
    expect(suspended.body.error.code).toBeNull();
    expect(suspended.body.error.message).toContain('suspended');
  });

  it('ends a session at its key’s expiry when that comes first', async () => {
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    const billing = await staff('billing', { expires_at: expiresAt });
    const { cookie, session } = await signIn(billing.key);
    expect(Date.parse(session.expires_at)).toBe(Date.parse(expiresAt));
    expect((await call('GET', '/admin/v1/session', { cookie })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 200));
    const ended = await call<ErrorBody>('GET', '/admin/v1/session', { cookie });
    expect([ended.status, ended.body.error.message]).toEqual([401, INVALID]);
  });

  it('serves a session on every edge replica, and a sign-out on one ends it on all', async () => {
    const other = await suite.startEdge();
    const billing = await staff();
    const { cookie, session } = await signIn(billing.key);
    expect((await call('GET', '/admin/v1/session', { cookie, edge: other.url })).status).toBe(200);

    const refused = await call<ErrorBody>('DELETE', '/admin/v1/session', { cookie, edge: other.url });
    expect(refused.body.error.code).toBe('csrf_token_invalid');
    const closed = await call('DELETE', '/admin/v1/session', { cookie, csrf: session.csrf_token, edge: other.url });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ object: 'console_session', closed: true });
    expect(closed.setCookie).toMatch(/^tollgate_session=; Max-Age=0;/);

    for (const edge of [suite.edgeUrl, other.url]) {
      const after = await call<ErrorBody>('GET', '/admin/v1/session', { cookie, edge });
      expect([after.status, after.body.error.message]).toEqual([401, INVALID]);
    }
  });

  it('marks the cookie Secure when a trusted proxy says the client came over TLS', async () => {
    const billing = await staff();
    const { setCookie } = await signIn(billing.key, { 'x-forwarded-proto': 'https' });
    expect(setCookie.split(';').map((part) => part.trim())).toContain('Secure');
  });

  it('keeps only a hash of the session token', async () => {
    const billing = await staff();
    const { cookie } = await signIn(billing.key);
    const token = cookie.slice('tollgate_session='.length);
    const db = new pg.Client({ connectionString: suite.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query('SELECT * FROM auth.console_sessions WHERE key_id = $1', [billing.keyId]);
      expect(rows.rowCount).toBe(1);
      expect(JSON.stringify(rows.rows)).not.toContain(token.slice(4));
    } finally {
      await db.end();
    }
  });
});
