import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { formatMoney } from '../../apps/console/src/money/money.js';
import { useBrowser } from '../support/browser.js';
import { createChannel, createCustomer, setPrice } from '../support/fixtures.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface Ledger {
  data: { type: string; amount: string; reason: string | null; actor_name: string | null }[];
}

async function signIn(page: Page, key: string, path = '/console/'): Promise<void> {
  await page.goto(`${suite.edgeUrl}${path}`);
  await page.getByLabel('Staff API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/** A customer with an e-mail address, a key, a balance and one answered request (so it has usage). */
async function customerWithUsage() {
  const email = `ada-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const customer = await createCustomer(suite, { balance: '10' });
  const named = await suite.admin('PATCH', `/admin/v1/users/${customer.userId}`, { name: `Ada ${email}`, email });
  expect(named.status).toBe(200);
  await createChannel(suite);
  await setPrice(suite, 'gpt-4o-mini');
  const answer = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${customer.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
  });
  expect(answer.status).toBe(200);
  return { ...customer, email };
}

describe('the customers pages, for billing staff', () => {
  it('finds a customer by e-mail, shows the balance, keys and usage, and tops up once however often it is submitted', async () => {
    const staff = await createCustomer(suite, { role: 'billing' });
    const customer = await customerWithUsage();
    const page = await browser.newPage();
    await signIn(page, staff.key);

    // Find by e-mail (the part before the domain is enough), and open the customer.
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await page.getByLabel('Find a customer').fill(customer.email.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('table', { name: /Customers matching/ });
    await results.waitFor();
    expect(await results.getByRole('row').count()).toBe(2); // the header and the one match
    await results.getByRole('link', { name: `Ada ${customer.email}` }).click();

    await page.getByRole('heading', { level: 2, name: `Ada ${customer.email}` }).waitFor();
    const balance = page.locator('dl.balance');
    await balance.getByText(/USD$/).first().waitFor();
    const keyRow = page.getByRole('region', { name: 'API keys' }).getByRole('row').nth(1);
    await keyRow.waitFor();
    expect(await keyRow.textContent()).toContain(`…${customer.key.slice(-6)}`);
    const usage = page.getByRole('region', { name: /^Usage/ });
    await usage.getByRole('img', { name: /Cost per day/ }).waitFor();
    expect(await usage.getByRole('row').nth(1).textContent()).toContain('gpt-4o-mini');
    // The customer's ledger and requests are a click away, already filtered.
    for (const [name, path] of [
      ["Open this customer's ledger", 'ledger'],
      ["Open this customer's requests", 'requests'],
    ]) {
      const link = page.getByRole('link', { name });
      expect(await link.getAttribute('href')).toBe(`/console/${path}?user_id=${customer.userId}`);
    }

    // Top up with a reason; submitting the same form again is a replay, applied once.
    const topUp = page.getByRole('form', { name: 'Top up' });
    await topUp.getByLabel('Amount (USD)').fill('25.5');
    await topUp.getByLabel('Reason').fill('invoice 2026-118');
    await topUp.getByRole('button', { name: 'Top up' }).dblclick();
    await topUp.getByRole('status').waitFor();
    await topUp.getByRole('button', { name: 'Top up' }).click();
    await topUp.getByText('Already applied').waitFor();
    expect(await topUp.getByRole('status').textContent()).toContain('nothing changed');

    const ledger = await suite.admin<Ledger>('GET', `/admin/v1/users/${customer.userId}/ledger?type=topup`);
    expect(ledger.body.data.filter((entry) => entry.reason === 'invoice 2026-118')).toEqual([
      expect.objectContaining({ type: 'topup', amount: '25.500000', actor_name: expect.any(String) }),
    ]);

    // Changing the amount is a new top-up, with a new idempotency key.
    await topUp.getByLabel('Amount (USD)').fill('1');
    await topUp.getByRole('button', { name: 'Top up' }).click();
    await topUp.getByText(/^Applied\./).waitFor();
    const after = await suite.admin<Ledger>('GET', `/admin/v1/users/${customer.userId}/ledger?type=topup`);
    expect(after.body.data.filter((entry) => entry.reason === 'invoice 2026-118')).toHaveLength(2);
    const shown = await suite.admin<{ balance: string }>('GET', `/admin/v1/users/${customer.userId}/balance`);
    await balance.getByText(formatMoney(shown.body.balance, 'USD')).first().waitFor();
  });

  it('shows a refused adjustment with the documented message and its tid, and changes nothing', async () => {
    const staff = await createCustomer(suite, { role: 'billing' });
    const customer = await createCustomer(suite, { balance: '1' });
    const page = await browser.newPage();
    await signIn(page, staff.key, `/console/customers/${customer.userId}`);
    const adjust = page.getByRole('form', { name: 'Adjust the balance' });
    await adjust.getByLabel('Amount (USD)').fill('-5');
    await adjust.getByLabel('Reason').fill('refund');
    await adjust.getByRole('button', { name: 'Adjust' }).click();
    const alert = adjust.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/tid: [0-9a-f]{32}/);
    const balance = await suite.admin<{ balance: string }>('GET', `/admin/v1/users/${customer.userId}/balance`);
    expect(balance.body.balance).toBe('1.000000');
  });

  it('answers an unknown customer id with the documented refusal', async () => {
    const staff = await createCustomer(suite, { role: 'billing' });
    const page = await browser.newPage();
    await signIn(page, staff.key, '/console/customers/00000000-0000-4000-8000-000000000000');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Could not open this customer.');
    expect(await alert.textContent()).toMatch(/tid: [0-9a-f]{32}/);
  });
});
