import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { eventually } from '@tollgate/testing';
import { createCustomer, type Customer } from './support/fixtures.js';
import { balanceOf } from './support/ledger.js';
import { useSuite } from './support/suite.js';

interface ErrorBody {
  error: { message: string; code: string | null; type: string };
}

/** The bounded answer to a batch: counts, and the rows that failed. */
interface BatchAnswer {
  applied: boolean;
  counts: Record<string, number>;
  failed_rows: Array<{ index: number; user_id: string; error: string; message: string }>;
}

/**
 * Money only for accounts that exist: billing learns users from auth (its
 * events, a catch-up at start, a lookup of an id it has not heard of) and
 * refuses money for any other id with a 404 before anything moves; reconcile
 * lists the accounts that have no user.
 */
describe('accounts: money only for users auth knows', () => {
  const suite = useSuite({ replicas: { billing: 2 } });
  let customer: Customer;

  beforeAll(async () => {
    customer = await createCustomer(suite, { balance: '5' });
  });

  /** One statement on the suite's database, on a connection of its own (the suite drops the database at the end). */
  const sql = async (text: string, params: unknown[] = []) => {
    const db = new pg.Client({ connectionString: suite.databaseUrl });
    await db.connect();
    try {
      return await db.query(text, params);
    } finally {
      await db.end();
    }
  };

  /** What billing's own tables hold for an id: its account and ledger rows. */
  const billingRowsOf = async (userId: string) => ({
    accounts: (await sql('SELECT 1 FROM billing.accounts WHERE user_id = $1', [userId])).rowCount,
    ledger: (await sql('SELECT 1 FROM billing.ledger WHERE user_id = $1', [userId])).rowCount,
  });

  const createUser = async (body: Record<string, unknown> = {}): Promise<string> => {
    const user = await suite.admin<{ id: string }>('POST', '/admin/v1/users', { name: 'account-e2e', ...body });
    expect(user.status).toBe(201);
    return user.body.id;
  };

  const topUp = (userId: string, amount = '1') =>
    suite.admin<ErrorBody & { balance: { balance: string } }>('POST', `/admin/v1/users/${userId}/topups`, {
      amount,
      reason: 'accounts e2e',
      idempotency_key: `accounts-${randomUUID()}`,
    });

  it('refuses a top-up, an adjustment and a batch row for a user id auth does not know, and writes nothing', async () => {
    const stranger = randomUUID();
    expect((await suite.admin('GET', `/admin/v1/users/${stranger}`)).status).toBe(404);

    const topped = await topUp(stranger, '10');
    const adjusted = await suite.admin<ErrorBody>('POST', `/admin/v1/users/${stranger}/adjustments`, {
      amount: '-1',
      reason: 'accounts e2e',
      idempotency_key: `accounts-${randomUUID()}`,
      allow_negative: true,
    });
    const batch = await suite.admin<BatchAnswer>('POST', '/admin/v1/adjustments/batch', {
      rows: [
        { user_id: customer.userId, amount: '1', reason: 'fine', idempotency_key: `accounts-${randomUUID()}` },
        { user_id: stranger, amount: '2', reason: 'stranger', idempotency_key: `accounts-${randomUUID()}` },
      ],
    });

    for (const refused of [topped, adjusted]) {
      expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([
        404,
        'not_found',
        `Not found: no such user ${stranger}`,
      ]);
    }
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ applied: false, counts: { not_applied: 1, error: 1 } });
    expect(batch.body.failed_rows).toEqual([
      { index: 1, user_id: stranger, error: 'unknown_user', message: `no such user ${stranger}` },
    ]);
    expect(await billingRowsOf(stranger)).toEqual({ accounts: 0, ledger: 0 });
    // Nor is there an account of zeros to read: staff reads name the missing user too.
    for (const read of ['balance', 'ledger', 'holds']) {
      const answer = await suite.admin<ErrorBody>('GET', `/admin/v1/users/${stranger}/${read}`);
      expect([read, answer.status, answer.body.error.message]).toEqual([
        read,
        404,
        `Not found: no such user ${stranger}`,
      ]);
    }
    expect((await balanceOf(suite, customer.userId)).balance).toBe(5_000_000n);
  });

  it('tops up a user the moment it is created, without waiting for billing to hear of it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const userId = await createUser();
        return (await topUp(userId, '2')).status;
      }),
    );

    expect(answers).toEqual(Array.from({ length: 10 }, () => 201));
  });

  it('hears of a suspension and a change of group', async () => {
    const userId = await createUser();

    const changed = await suite.admin('PATCH', `/admin/v1/users/${userId}`, { status: 'suspended', group: 'vip' });

    expect(changed.status).toBe(200);
    await eventually(async () => {
      const { rows } = await sql('SELECT status, group_name FROM billing.known_users WHERE user_id = $1', [userId]);
      expect(rows).toEqual([{ status: 'suspended', group_name: 'vip' }]);
    });
  });

  it('knows a user created while billing was down once it is back, from its catch-up at start', async () => {
    await suite.killService('billing');
    const userId = await createUser();
    await suite.startService('billing');
    await eventually(async () => expect((await fetch(`${suite.edgeUrl}/healthz`)).status).toBe(200), {
      timeoutMs: 15_000,
    });

    // Nothing has asked billing about this user: only the catch-up can have recorded it.
    await eventually(async () => {
      const { rowCount } = await sql('SELECT 1 FROM billing.known_users WHERE user_id = $1', [userId]);
      expect(rowCount).toBe(1);
    });
    const topped = await topUp(userId, '3');

    expect([topped.status, topped.body.balance.balance]).toEqual([201, '3.000000']);
  });

  it('reconcile lists an account without a user, with its money, and is not ok', async () => {
    // An account as the gateway made them before it checked users: money for an id nobody has.
    const orphan = randomUUID();
    await sql('INSERT INTO billing.accounts (user_id, balance_micros) VALUES ($1, 2500000)', [orphan]);
    await sql(
      `INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, actor, idempotency_key)
       VALUES ($1, 'topup', 2500000, 2500000, 'before-checks', $2)`,
      [orphan, `orphan-${orphan}`],
    );
    try {
      const report = await suite.admin<{
        ok: boolean;
        differences: unknown[];
        accounts_without_user: Array<{ user_id: string; balance: string; held: string }>;
      }>('GET', '/admin/v1/reconcile');

      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        ok: false,
        differences: [],
        accounts_without_user: [{ user_id: orphan, balance: '2.500000', held: '0.000000' }],
      });
    } finally {
      await sql('DELETE FROM billing.ledger WHERE user_id = $1', [orphan]);
      await sql('DELETE FROM billing.accounts WHERE user_id = $1', [orphan]);
    }
    const clean = await suite.admin<{ ok: boolean; accounts_without_user: unknown[] }>('GET', '/admin/v1/reconcile');
    expect(clean.body).toMatchObject({ ok: true, accounts_without_user: [] });
  });
});
