import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { createCustomer } from '../support/fixtures.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface Balance {
  balance: string;
}
interface LedgerList {
  data: { type: string; amount: string; reason: string | null; tid: string }[];
}

async function signInAsBilling(): Promise<Page> {
  const staff = await createCustomer(suite, { role: 'billing' });
  const page = await browser.newPage();
  await page.goto(`${suite.edgeUrl}/console/`);
  await page.getByLabel('Staff API key').fill(staff.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Ledger' }).waitFor();
  return page;
}

async function topUp(userId: string, amount: string, key: string): Promise<void> {
  const answer = await suite.admin('POST', `/admin/v1/users/${userId}/topups`, {
    amount,
    reason: `top-up ${key}`,
    idempotency_key: key,
  });
  expect(answer.status).toBe(201);
}

const balanceOf = async (userId: string): Promise<string> =>
  (await suite.admin<Balance>('GET', `/admin/v1/users/${userId}/balance`)).body.balance;

const csvFile = (text: string) => ({ name: 'batch.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('the console ledger', () => {
  it("shows a customer's ledger filtered by type and tid, and exports the same filter as CSV", async () => {
    const customer = await createCustomer(suite, { balance: '10' });
    await topUp(customer.userId, '2.5', `ledger-a-${customer.userId}`);
    const adjusted = await suite.admin('POST', `/admin/v1/users/${customer.userId}/adjustments`, {
      amount: '-1.25',
      reason: 'goodwill reversal',
      idempotency_key: `ledger-adj-${customer.userId}`,
    });
    expect(adjusted.status).toBe(201);

    const page = await signInAsBilling();
    // A customer page links here with ?user_id=: the ledger opens at once.
    await page.goto(`${suite.edgeUrl}/console/ledger?user_id=${customer.userId}`);
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    await table.getByRole('cell', { name: 'goodwill reversal' }).waitFor();
    await table.getByRole('cell', { name: '-1.25 USD' }).waitFor();

    await page.getByLabel('Type').selectOption('topup');
    await page.getByRole('button', { name: 'Show ledger' }).click();
    await table.getByRole('cell', { name: 'goodwill reversal' }).waitFor({ state: 'detached' });
    const types = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(types).toEqual(['topup', 'topup']);
    // Newest first: the 2.50 top-up, then the 10.00 one; the balance after each.
    expect(await table.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(['2.50 USD', '10.00 USD']);
    expect(await table.locator('tbody tr td:nth-child(4)').allTextContents()).toEqual(['12.50 USD', '10.00 USD']);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    await page.getByText('Exported 2 entries.').waitFor();
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'id,created_at,user_id,user_name,type,amount,balance_after,hold_id,actor,actor_name,reason,tid,idempotency_key',
    );
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.split(',')[4] === 'topup')).toBe(true);

    // The server's truth: three entries in all, two of them top-ups.
    const all = await suite.admin<LedgerList>('GET', `/admin/v1/users/${customer.userId}/ledger`);
    expect(all.body.data.map((entry) => entry.type).sort()).toEqual(['adjustment', 'topup', 'topup']);

    // The lines one staff call wrote, by the tid support is quoted (in capitals, as people copy it).
    const adjustment = all.body.data.find((entry) => entry.type === 'adjustment')!;
    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('tid').fill(adjustment.tid.toUpperCase());
    await page.getByRole('button', { name: 'Show ledger' }).click();
    await table.getByRole('cell', { name: 'goodwill reversal' }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr td:nth-child(7)').textContent()).toBe(adjustment.tid);

    // A tid that is not one: the documented refusal, naming the field, with its own tid.
    await page.getByLabel('tid').fill('not-a-tid');
    await page.getByRole('button', { name: 'Show ledger' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/tid must be a tid.*tid: [0-9a-f]{32}/);
  });

  it('shows the documented refusal and its tid for a user auth does not know', async () => {
    const page = await signInAsBilling();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Ledger' }).click();
    await page.getByLabel('User id').fill('00000000-0000-4000-8000-000000000000');
    await page.getByRole('button', { name: 'Show ledger' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/The ledger could not be read.*tid: [0-9a-f]{32}/);
  });
});

describe('the console bulk adjustments', () => {
  it('checks a file (a bad row named by its line), applies the fixed file, and replays it the second time', async () => {
    const first = await createCustomer(suite, { balance: '10' });
    const second = await createCustomer(suite, { balance: '3' });
    const header = 'user_id,amount,reason,idempotency_key';
    const rows = (secondAmount: string) =>
      [
        header,
        `${first.userId},5,bonus,bulk-1-${first.userId}`,
        `${second.userId},${secondAmount},correction,bulk-2-${second.userId}`,
      ].join('\n');

    const page = await signInAsBilling();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Bulk adjustments' }).click();
    const file = page.getByLabel('CSV file');

    // A malformed line refuses the whole file: the documented message names the line, with the tid.
    await file.setInputFiles(csvFile(`${header}\n${first.userId},lots,bonus,bulk-bad-${first.userId}`));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/The batch was refused.*line 2: amount.*tid: [0-9a-f]{32}/);

    // A row that would take the balance below zero: the dry run names its line and reason.
    await file.setInputFiles(csvFile(rows('-50')));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const errors = page.getByRole('table', { name: 'Rows in error', exact: true });
    await errors.waitFor();
    const cells = await errors.locator('tbody tr td').allTextContents();
    expect(cells[0]).toBe('3');
    expect(cells[1]).toBe(second.userId);
    expect(cells[2]).toMatch(/below zero|balance/i);
    expect(await errors.locator('tbody tr').count()).toBe(1);
    const all = page.getByRole('table', { name: 'Rows', exact: true });
    await all.waitFor();
    expect(await all.locator('tbody tr').count()).toBe(2);
    expect(await balanceOf(second.userId)).toBe('3.000000');

    // Fixed: applied.
    await file.setInputFiles(csvFile(rows('-1')));
    await page.getByRole('button', { name: 'Apply' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Applied: / });
    await status.waitFor();
    expect(await status.textContent()).toBe(
      'Applied: 2 row(s) applied, 0 replayed (already applied before, nothing changed for them).',
    );
    expect(await balanceOf(first.userId)).toBe('15.000000');
    expect(await balanceOf(second.userId)).toBe('2.000000');

    // The same file again: every row replayed, nothing changed.
    await file.setInputFiles(csvFile(rows('-1')));
    await page.getByRole('button', { name: 'Apply' }).click();
    const replayed = page.getByRole('status').filter({ hasText: /^Already applied/ });
    await replayed.waitFor();
    expect(await replayed.textContent()).toBe('Already applied: every row (2) was replayed; nothing changed.');
    const counts = page.locator('.bulk-counts');
    expect(await counts.locator('dt').allTextContents()).toEqual(['Applied', 'Replayed', 'Failed', 'Not applied']);
    expect(await counts.locator('dd').allTextContents()).toEqual(['0', '2', '0', '0']);
    expect(await balanceOf(first.userId)).toBe('15.000000');
    expect(await balanceOf(second.userId)).toBe('2.000000');
    const ledger = await suite.admin<LedgerList>('GET', `/admin/v1/users/${second.userId}/ledger?type=adjustment`);
    expect(ledger.body.data).toHaveLength(1);
  });
});
