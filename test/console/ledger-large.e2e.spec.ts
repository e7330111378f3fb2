import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { useBrowser } from '../support/browser.js';
import { createCustomer } from '../support/fixtures.js';
import { balanceOf, expectBooksBalanced } from '../support/ledger.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

/** Entries added to the customer's one top-up: enough that a page, a filter and the export must not read them all. */
const ENTRIES = 10_000;
const SOUGHT_TID = 'c0ffee'.padEnd(32, '0');

/**
 * Writes ENTRIES adjustments of one micro-unit each straight into the
 * ledger, as years of use would have left them (the API would take minutes
 * for as many), and the account's balance to match, so the books still
 * balance. One of them, deep down, carries SOUGHT_TID.
 */
async function seedLedger(userId: string): Promise<void> {
  const db = new pg.Client({ connectionString: suite.databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    const [{ balance_micros: start }] = (
      await db.query<{ balance_micros: string }>(
        'SELECT balance_micros FROM billing.accounts WHERE user_id = $1 FOR UPDATE',
        [userId],
      )
    ).rows;
    await db.query(
      `INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, actor, reason, tid, idempotency_key)
       SELECT $1::uuid, 'adjustment', 1, $2::bigint + n, 'seed', 'entry ' || n,
              CASE WHEN n = 123 THEN $3 ELSE md5(n::text) END, 'seed:' || $1::text || ':' || n
         FROM generate_series(1, $4::int) AS n`,
      [userId, start, SOUGHT_TID, ENTRIES],
    );
    await db.query('UPDATE billing.accounts SET balance_micros = balance_micros + $2 WHERE user_id = $1', [
      userId,
      ENTRIES,
    ]);
    await db.query('COMMIT');
  } finally {
    await db.end();
  }
}

describe('the console ledger with 10,000 entries', () => {
  it('pages through them, finds one by its tid, and exports every one', async () => {
    const customer = await createCustomer(suite, { balance: '1' });
    await seedLedger(customer.userId);
    // The seed is a ledger the books agree with: 1 + 10,000 micro-units.
    expect((await balanceOf(suite, customer.userId)).balance).toBe(1_010_000n);
    await expectBooksBalanced(suite, customer.userId);

    const staff = await createCustomer(suite, { role: 'billing' });
    const page = await browser.newPage();
    await page.goto(`${suite.edgeUrl}/console/ledger?user_id=${customer.userId}`);
    await page.getByLabel('Staff API key').fill(staff.key);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Newest first, a page at a time: the first page, then three pages on.
    const table = page.getByRole('table');
    const reasons = table.locator('tbody tr td:nth-child(6)');
    await table.getByRole('cell', { name: `entry ${ENTRIES}`, exact: true }).waitFor();
    expect(await reasons.count()).toBe(100);
    const pager = page.getByRole('navigation', { name: 'Ledger pages' });
    for (let next = 2; next <= 4; next++) {
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText(`Page ${next}`).waitFor();
      await table.getByRole('cell', { name: `entry ${ENTRIES - (next - 1) * 100}`, exact: true }).waitFor();
    }
    expect(await reasons.allTextContents()).toEqual(
      Array.from({ length: 100 }, (_, i) => `entry ${ENTRIES - 300 - i}`),
    );

    // One line deep in the history, by its tid.
    await page.getByLabel('tid').fill(SOUGHT_TID);
    await page.getByRole('button', { name: 'Show ledger' }).click();
    await pager.getByText('Page 1').waitFor();
    await table.getByRole('cell', { name: 'entry 123', exact: true }).waitFor();
    expect(await reasons.allTextContents()).toEqual(['entry 123']);

    // The export is every entry of the filter (none now), not the page shown.
    await page.getByLabel('tid').fill('');
    await page.getByRole('button', { name: 'Show ledger' }).click();
    await table.getByRole('cell', { name: `entry ${ENTRIES}`, exact: true }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    await page.getByText(`Exported ${(ENTRIES + 1).toLocaleString('en')} entries.`).waitFor();
    const lines = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(1 + ENTRIES + 1); // the header, the seeded entries and the top-up
    expect(lines[0]).toMatch(/^id,created_at,/);
    // In order, with no page's header repeated and no row twice.
    const ids = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(lines.filter((line) => line.startsWith('id,'))).toHaveLength(1);
  });
});
