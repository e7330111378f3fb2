import type { Suite } from './suite.js';

export interface Customer {
  userId: string;
  key: string;
  keyId: string;
}

function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  }
}

/** A user with a key and a balance, as billing staff would set one up. */
export async function createCustomer(
  suite: Suite,
  options: { balance?: string; role?: string; group?: string; key?: Record<string, unknown> } = {},
): Promise<Customer> {
  const user = await suite.admin<{ id: string }>('POST', '/admin/v1/users', {
    name: `customer-${Math.random().toString(36).slice(2, 8)}`,
    role: options.role ?? 'user',
    group: options.group ?? 'default',
  });
  expectStatus(user, 201, 'create user');
  const key = await suite.admin<{ id: string; key: string }>(
    'POST',
    `/admin/v1/users/${user.body.id}/keys`,
    options.key ?? {},
  );
  expectStatus(key, 201, 'create key');
  if (options.balance) {
    const topUp = await suite.admin('POST', `/admin/v1/users/${user.body.id}/topups`, {
      amount: options.balance,
      reason: 'test setup',
      idempotency_key: `setup-${user.body.id}`,
    });
    expectStatus(topUp, 201, 'top up');
  }
  return { userId: user.body.id, key: key.body.key, keyId: key.body.id };
}

/** A channel to the suite's fake provider serving the given models. */
export async function createChannel(suite: Suite, body: Record<string, unknown> = {}): Promise<number> {
  const channel = await suite.admin<{ id: number }>('POST', '/admin/v1/channels', {
    name: `fake-${Math.random().toString(36).slice(2, 8)}`,
    base_url: `${suite.fake.url}/v1`,
    api_key: 'sk-upstream-secret-0000',
    models: ['gpt-4o-mini'],
    ...body,
  });
  expectStatus(channel, 201, 'create channel');
  return channel.body.id;
}

/** Prices in dollars per million tokens, as decimal strings. */
export async function setPrice(suite: Suite, model: string, input = '1', output = '2'): Promise<void> {
  const price = await suite.admin('PUT', `/admin/v1/prices/${model}`, {
    input_per_million: input,
    output_per_million: output,
  });
  expectStatus(price, 200, 'set price');
}
