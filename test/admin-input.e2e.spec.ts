import { describe, expect, it } from '@jest/globals';
import { createCustomer } from './support/fixtures.js';
import { useSuite } from './support/suite.js';

type ErrorBody = { error: { param: string | null; code: string | null; message: string; tid: string } };

/**
 * What a careless client or an attacker sends the admin API: every field that
 * is stored or used as an identifier is checked for what PostgreSQL accepts
 * before anything moves, and a wrong body is a 400 naming the field — never a
 * 500, never a balance moved.
 */
describe('admin API input', () => {
  const suite = useSuite();

  it.each([
    ['a NUL in a name', 'POST', '/admin/v1/users', { name: 'a\u0000b' }, 'name'],
    ['an unpaired surrogate in a name', 'POST', '/admin/v1/users', { name: 'lone-\ud800' }, 'name'],
    ['a misspelled field', 'POST', '/admin/v1/users', { name: 'x', gruop: 'vip' }, 'gruop'],
    ['a null body', 'POST', '/admin/v1/users', null, 'body'],
    [
      'a channel named with a NUL',
      'POST',
      '/admin/v1/channels',
      { name: 'c\u0000', base_url: 'http://127.0.0.1:1/v1', api_key: 'k', models: ['m'] },
      'name',
    ],
    [
      'a model mapping key with a NUL',
      'POST',
      '/admin/v1/channels',
      { name: 'c', base_url: 'http://127.0.0.1:1/v1', api_key: 'k', models: ['m'], model_mapping: { 'a\u0000': 'b' } },
      'model_mapping',
    ],
    [
      'a base URL with a NUL',
      'POST',
      '/admin/v1/channels',
      { name: 'c', base_url: 'http://127.0.0.1:1/v\u0000', api_key: 'k', models: ['m'] },
      'base_url',
    ],
    [
      'a weight beyond an integer column',
      'POST',
      '/admin/v1/channels',
      { name: 'c', base_url: 'http://127.0.0.1:1/v1', api_key: 'k', models: ['m'], weight: 4294967296 },
      'weight',
    ],
    ['a price for a model with a NUL', 'PUT', '/admin/v1/prices/m%00x', { input_per_million: '1' }, 'model'],
    ['an empty batch body', 'POST', '/admin/v1/adjustments/batch', null, 'body'],
    ['a batch without rows', 'POST', '/admin/v1/adjustments/batch', {}, 'rows'],
  ])('refuses %s with a 400 naming the field', async (_what, method, path, body, param) => {
    const answer = await suite.admin<ErrorBody>(method, path, body);
    expect([answer.status, answer.body.error.code, answer.body.error.param]).toEqual([400, 'invalid_request', param]);
  });

  it.each([
    ['a NUL', 'topup-\u0000'],
    ['an unpaired surrogate', 'lone-\ud800'],
    ['the other unpaired surrogate', 'lone-\udfff'],
    ['a control character', 'topup-\t1'],
    ['white space at its end', 'topup-1 '],
  ])('refuses an idempotency key with %s before the balance moves', async (_what, key) => {
    const customer = await createCustomer(suite, { balance: '1' });
    const answer = await suite.admin<ErrorBody>('POST', `/admin/v1/users/${customer.userId}/topups`, {
      amount: '5',
      reason: 'probe',
      idempotency_key: key,
    });
    expect([answer.status, answer.body.error.param]).toEqual([400, 'idempotency_key']);
    const balance = await suite.admin<{ balance: string }>('GET', `/admin/v1/users/${customer.userId}/balance`);
    expect(balance.body.balance).toBe('1.000000');
  });

  it('refuses more batch rows than the one declared limit', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    const row = (index: number) => ({
      user_id: customer.userId,
      amount: '0.01',
      reason: 'r',
      idempotency_key: `k${index}`,
    });
    const answer = await suite.admin<ErrorBody>('POST', '/admin/v1/adjustments/batch', {
      rows: Array.from({ length: 1001 }, (_, index) => row(index)),
    });
    expect([answer.status, answer.body.error.param, answer.body.error.message]).toEqual([
      400,
      'rows',
      'Invalid request: rows must have at most 1000 items',
    ]);
  });

  it.each(['billing', 'admin'])(
    'refuses %s staff money for their own account, and lets them move it for others',
    async (role) => {
      const staff = await createCustomer(suite, { role, balance: '1' });
      const customer = await createCustomer(suite, { balance: '1' });
      const forbidden = 'Forbidden – insufficient permissions.';
      const move = (userId: string, path: string, extra: Record<string, unknown> = {}) =>
        suite.admin<ErrorBody>(
          'POST',
          `/admin/v1/users/${userId}/${path}`,
          {
            amount: '5',
            reason: 'self-service',
            idempotency_key: `own-${path}-${userId}`,
            ...extra,
          },
          staff.key,
        );
      for (const path of ['topups', 'adjustments']) {
        const own = await move(staff.userId, path);
        expect([path, own.status, own.body.error.message]).toEqual([path, 403, forbidden]);
        expect([path, (await move(customer.userId, path)).status]).toEqual([path, 201]);
      }
      const batch = await suite.admin<ErrorBody>(
        'POST',
        '/admin/v1/adjustments/batch',
        {
          rows: [
            { user_id: customer.userId, amount: '1', reason: 'r', idempotency_key: `own-b1-${staff.userId}` },
            {
              user_id: staff.userId.toUpperCase(),
              amount: '1',
              reason: 'r',
              idempotency_key: `own-b2-${staff.userId}`,
            },
          ],
        },
        staff.key,
      );
      expect([batch.status, batch.body.error.message]).toEqual([403, forbidden]);
      const balance = await suite.admin<{ balance: string }>('GET', `/admin/v1/users/${staff.userId}/balance`);
      expect(balance.body.balance).toBe('1.000000');
    },
  );
});
