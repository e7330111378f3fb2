import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCustomer, type Customer } from './support/fixtures.js';
import { useSuite } from './support/suite.js';

const CLI = resolve(import.meta.dirname, '../dist/apps/cli/main.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

interface Balance {
  balance: string;
  held: string;
}

interface LedgerPage {
  data: Array<{ type: string; amount: string; idempotency_key: string }>;
}

interface BatchResult {
  id: string;
  dry_run: boolean;
  applied: boolean;
  counts: Record<'applied' | 'would_apply' | 'replayed' | 'error' | 'not_applied', number>;
  failed_rows: Array<{ index: number; error: string; message: string }>;
}

interface BatchRows {
  data: Array<{ status: string; idempotency_key: string }>;
}

/**
 * The CLI as an operator runs it: the built dist/apps/cli/main.js in its own
 * process, configured only through TOLLGATE_URL and TOLLGATE_ADMIN_KEY.
 */
describe('cli: the operator command line against the running suite', () => {
  const suite = useSuite();
  let workDir: string;

  const cli = (...args: string[]): Promise<CliRun> =>
    new Promise((done) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        {
          env: { PATH: process.env.PATH, TOLLGATE_URL: suite.edgeUrl, TOLLGATE_ADMIN_KEY: suite.rootKey },
          timeout: 30_000,
        },
        (error, stdout, stderr) => {
          // A non-zero exit arrives as an error carrying the exit code; that is a result here, not a failure.
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          done({ code, stdout, stderr });
        },
      );
    });

  /** Runs a --json command that must succeed and returns its parsed output. */
  const cliJson = async <T>(...args: string[]): Promise<T> => {
    const run = await cli(...args, '--json');
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(run.stdout) as T;
  };

  const balanceOf = async (customer: Customer) => (await cliJson<Balance>('balance', customer.userId)).balance;
  const adjustmentsOf = async (customer: Customer) =>
    (await cliJson<LedgerPage>('ledger', customer.userId, '--type', 'adjustment')).data;

  const batchFile = (name: string, rows: Array<[Customer, string, string]>): string => {
    const path = join(workDir, name);
    const lines = rows.map(([customer, amount, key]) => `${customer.userId},${amount},"e2e batch, ${key}",${key}`);
    writeFileSync(path, ['user_id,amount,reason,idempotency_key', ...lines, ''].join('\n'));
    return path;
  };

  beforeAll(() => {
    if (!existsSync(CLI)) {
      throw new Error(`${CLI} is missing: build it (npm run build, with apps/cli referenced in tsconfig.build.json)`);
    }
    workDir = mkdtempSync(join(tmpdir(), 'tollgate-cli-e2e-'));
  });

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('applies an adjustment once, however often the same command is run', async () => {
    const customer = await createCustomer(suite, { balance: '10' });
    const args = [
      'adjust',
      customer.userId,
      '-2.5',
      '--reason',
      'refund of a double charge',
      '--idempotency-key',
      `e2e-adj-${customer.userId}`,
    ];

    const first = await cli(...args);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Adjusted by -2.500000');

    const second = await cli(...args);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain(
      `Already applied: idempotency key e2e-adj-${customer.userId} was used before; nothing changed this time.`,
    );

    const replay = JSON.parse((await cli(...args, '--json')).stdout) as { replayed: boolean };
    expect(replay.replayed).toBe(true);
    expect(await balanceOf(customer)).toBe('7.500000');
    const adjustments = await adjustmentsOf(customer);
    expect(adjustments).toHaveLength(1);
    expect(adjustments[0]).toMatchObject({ amount: '-2.500000', idempotency_key: `e2e-adj-${customer.userId}` });
  });

  it('refuses a money command without an idempotency key, sending nothing (exit 2)', async () => {
    const customer = await createCustomer(suite, { balance: '10' });
    const run = await cli('adjust', customer.userId, '5', '--reason', 'goodwill');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--idempotency-key is required');
    expect(await adjustmentsOf(customer)).toHaveLength(0);
    expect(await balanceOf(customer)).toBe('10.000000');
  });

  it('shows every row of a dry run and changes nothing', async () => {
    const [ann, bob] = [await createCustomer(suite, { balance: '5' }), await createCustomer(suite, { balance: '5' })];
    const file = batchFile('dry-run.csv', [
      [ann, '1.25', `dry-${ann.userId}`],
      [bob, '-2', `dry-${bob.userId}`],
    ]);

    const run = await cli('batch-adjust', file, '--dry-run');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`dry-${ann.userId}`);
    expect(run.stdout).toContain(`dry-${bob.userId}`);
    expect(run.stdout.match(/would_apply/g)).toHaveLength(2);
    expect(run.stdout).toContain('Nothing was changed.');

    const json = await cliJson<BatchResult>('batch-adjust', file, '--dry-run');
    expect(json).toMatchObject({ dry_run: true, applied: false, counts: { would_apply: 2, error: 0 } });
    const rows = await cliJson<BatchRows>('batch-rows', json.id);
    expect(rows.data.map((row) => [row.idempotency_key, row.status])).toEqual([
      [`dry-${ann.userId}`, 'would_apply'],
      [`dry-${bob.userId}`, 'would_apply'],
    ]);

    expect([await balanceOf(ann), await balanceOf(bob)]).toEqual(['5.000000', '5.000000']);
    expect([...(await adjustmentsOf(ann)), ...(await adjustmentsOf(bob))]).toHaveLength(0);
  });

  it('applies nothing of a batch with one bad row, and exits 1', async () => {
    const [ann, bob] = [await createCustomer(suite, { balance: '5' }), await createCustomer(suite, { balance: '5' })];
    const file = batchFile('one-bad-row.csv', [
      [ann, '3', `bad-batch-${ann.userId}`],
      // More than bob has: the server refuses this row, so the whole batch.
      [bob, '-50', `bad-batch-${bob.userId}`],
    ]);

    const run = await cli('batch-adjust', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT applied');
    expect(run.stdout).toContain('below zero');

    const json = JSON.parse((await cli('batch-adjust', file, '--json')).stdout) as BatchResult;
    expect(json).toMatchObject({ dry_run: false, applied: false, counts: { not_applied: 1, error: 1 } });
    expect(json.failed_rows.map((row) => [row.index, row.error])).toEqual([[1, 'below_zero']]);

    expect([await balanceOf(ann), await balanceOf(bob)]).toEqual(['5.000000', '5.000000']);
    expect([...(await adjustmentsOf(ann)), ...(await adjustmentsOf(bob))]).toHaveLength(0);
  });

  it('applies a valid batch, and sending it again changes nothing', async () => {
    const [ann, bob] = [await createCustomer(suite, { balance: '5' }), await createCustomer(suite, { balance: '5' })];
    const file = batchFile('valid.csv', [
      [ann, '1.5', `good-batch-${ann.userId}`],
      [bob, '-0.25', `good-batch-${bob.userId}`],
    ]);

    const run = await cli('batch-adjust', file);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Applied: 2 row(s) new, 0 replayed (already applied).\n');
    expect([await balanceOf(ann), await balanceOf(bob)]).toEqual(['6.500000', '4.750000']);

    // A re-run says in words that nothing new was applied, not that every row was committed again.
    const rerun = await cli('batch-adjust', file);
    expect(rerun).toMatchObject({ code: 0, stderr: '' });
    expect(rerun.stdout).toContain('Applied: 0 row(s) new, 2 replayed (already applied). Nothing changed this time.');
    const again = await cliJson<BatchResult>('batch-adjust', file);
    expect(again).toMatchObject({ applied: true, counts: { applied: 0, replayed: 2 } });
    expect([await balanceOf(ann), await balanceOf(bob)]).toEqual(['6.500000', '4.750000']);
    expect(await adjustmentsOf(ann)).toHaveLength(1);
    expect(await adjustmentsOf(bob)).toHaveLength(1);
  });

  it('prints parseable JSON with --json and tables without it', async () => {
    const customer = await createCustomer(suite, { balance: '2' });
    const users = await cliJson<{ object: string; data: Array<{ id: string }> }>('users', 'list', '--limit', '500');
    expect(users.object).toBe('list');
    expect(users.data.map((user) => user.id)).toContain(customer.userId);

    await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { email: 'cli.search@example.com' });
    const found = await cli('users', 'list', '--search', 'CLI.SEARCH@');
    expect([found.code, found.stdout]).toEqual([0, expect.stringContaining(customer.userId)]);
    expect((await cli('users', 'list', '--search', 'no-such-customer-anywhere')).stdout).toContain(
      '(no user matches "no-such-customer-anywhere")',
    );

    const keys = await cliJson<{ data: Array<{ id: string }> }>('keys', 'list', customer.userId);
    expect(keys.data.map((key) => key.id)).toEqual([customer.keyId]);

    // The ledger names the staff member who topped up (here root), not their id; the id is behind --wide.
    const ledger = await cli('ledger', customer.userId);
    expect(ledger.code).toBe(0);
    const [header, topUp] = ledger.stdout.split('\n');
    expect(header).toMatch(/ BY +REASON$/);
    expect(topUp).toMatch(/ topup .* root .*test setup$/);
    const wide = await cli('ledger', customer.userId, '--wide');
    expect(wide.stdout).toMatch(/ ACTOR /);

    const table = await cli('balance', customer.userId);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/balance:\s+2\.000000/);
  });

  it("reports the API's error with its code and tid, and exits 1", async () => {
    const missing = await cli('users', 'get', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^error: .+\n {2}\(status 404, code \w+, tid [0-9a-f]{32}\)\n$/);
  });

  it('finds no differences on a clean system after all of the above (exit 0)', async () => {
    const run = await cli('reconcile');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/result:\s+ok: no differences/);
    const report = await cliJson<{ ok: boolean; differences: unknown[] }>('reconcile');
    expect(report).toMatchObject({ ok: true, differences: [] });
  });
});
