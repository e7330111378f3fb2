import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { eventually } from '@tollgate/testing';
import { formatMoney } from '../../apps/console/src/money/money.js';
import { useBrowser } from '../support/browser.js';
import { createCustomer } from '../support/fixtures.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface Key {
  id: string;
  name: string;
  prefix: string;
  last6: string;
  status: string;
  expires_at: string | null;
  allowed_models: string[] | null;
  allowed_ip_ranges: string[] | null;
  budget: string | null;
  rpm_limit: number | null;
}

interface Denial {
  error: { message: string; tid: string };
}

/** A revocation reaches every edge's cache by broadcast within the documented second. */
const PROPAGATION = { timeoutMs: 1000 };

async function signIn(page: Page, key: string, at: string): Promise<void> {
  await page.goto(`${suite.edgeUrl}/console${at}`);
  await page.getByLabel('Staff API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

async function keysOf(userId: string): Promise<Key[]> {
  const list = await suite.admin<{ data: Key[] }>('GET', `/admin/v1/users/${userId}/keys`);
  expect(list.status).toBe(200);
  return list.body.data;
}

/** The public API as a client calls it, with the key in `Authorization`, from loopback. */
async function listModels(key: string): Promise<{ status: number; body: Denial }> {
  const response = await fetch(`${suite.edgeUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as Denial };
}

function expectDenial(answer: { status: number; body: Denial }, status: number, message: string): void {
  expect({ status: answer.status, message: answer.body.error?.message }).toEqual({ status, message });
  expect(answer.body.error.tid).toMatch(/^[0-9a-f]{32}$/);
}

/** A user whose keys an admin manages, and the admin's page open on them. */
async function openOwner(): Promise<{ page: Page; ownerId: string }> {
  const admin = await createCustomer(suite, { role: 'admin' });
  const owner = await suite.admin<{ id: string }>('POST', '/admin/v1/users', {
    name: `owner-${Math.random().toString(36).slice(2, 8)}`,
  });
  expect(owner.status).toBe(201);
  const page = await browser.newPage();
  await signIn(page, admin.key, `/keys/${owner.body.id}`);
  await page.getByRole('region', { name: 'API keys' }).getByText('This user has no API key yet.').waitFor();
  return { page, ownerId: owner.body.id };
}

/** Fills the create form (fields not given stay empty) and submits it. */
async function submitNewKey(page: Page, fields: Record<string, string>): Promise<Locator> {
  const form = page.getByRole('form', { name: 'Create a key' });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Create key' }).click();
  return form;
}

/** Creates a key through the page and reads it from the once-only notice (the one naming this key, not the last one). */
async function createKey(page: Page, fields: Record<string, string> & { Name: string }): Promise<string> {
  await submitNewKey(page, fields);
  const notice = page.getByRole('status').filter({ hasText: `Created ${fields.Name}.` });
  await notice.getByText('it will not be shown again').waitFor();
  const secret = (await notice.getByLabel('The new key').textContent()) ?? '';
  expect(secret).toMatch(/^sk-/);
  return secret;
}

describe('the Keys page, for admins', () => {
  it("finds the key's owner, creates a restricted key shown once, and the key works as restricted", async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const ownerName = `Grace ${Math.random().toString(36).slice(2, 8)}`;
    const owner = await suite.admin<{ id: string }>('POST', '/admin/v1/users', { name: ownerName });
    expect(owner.status).toBe(201);
    const ownerId = owner.body.id;
    const page = await browser.newPage();
    await signIn(page, admin.key, '/keys');

    // Find the owner and open their keys.
    await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
    await page.getByLabel("Find the key's owner").fill(ownerName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('table', { name: /Users matching/ })
      .getByRole('link', { name: ownerName })
      .click();
    await page.getByRole('heading', { level: 2, name: `Keys of ${ownerName}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/keys/${ownerId}`);

    // An expiry already past is taken by the API (the key is refused from the start): the form says so first.
    const form = page.getByRole('form', { name: 'Create a key' });
    await form.getByLabel('Expires (UTC)').fill('2020-01-01T00:00');
    await form.getByText('This time has passed').waitFor();

    const secret = await createKey(page, {
      Name: 'ci-loopback',
      'Expires (UTC)': '2030-06-30T12:00',
      'Allowed models': 'gpt-4o-mini',
      'Allowed IP ranges': '127.0.0.1/32',
      'Budget (USD)': '12.5',
      'RPM limit': '30',
    });

    // What the page asked for is what the key is.
    const [created] = await keysOf(ownerId);
    expect(created).toMatchObject({
      name: 'ci-loopback',
      status: 'active',
      last6: secret.slice(-6),
      expires_at: '2030-06-30T12:00:00.000Z',
      allowed_models: ['gpt-4o-mini'],
      allowed_ip_ranges: ['127.0.0.1/32'],
      budget: '12.500000',
      rpm_limit: 30,
    });
    expect(secret.startsWith(created.prefix)).toBe(true);
    // Copy puts the whole key on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const notice = page.getByRole('status').filter({ hasText: 'Created ci-loopback.' });
    await notice.getByRole('button', { name: 'Copy' }).click();
    await notice.getByText('Copied to the clipboard.').waitFor();
    // A string: the test's own tsconfig has no DOM types.
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    // And it works from loopback, inside its range.
    expect((await listModels(secret)).status).toBe(200);

    // The list shows the key's prefix and last six characters, and its restrictions.
    const row = page.getByRole('region', { name: 'API keys' }).getByRole('row').filter({ hasText: 'ci-loopback' });
    await row.getByText(`${created.prefix}…${created.last6}`).waitFor();
    for (const text of ['gpt-4o-mini', '127.0.0.1/32', formatMoney('12.5', 'USD'), '30', '2030-06-30 12:00:00 UTC']) {
      expect(await row.textContent()).toContain(text);
    }

    // Away and back inside the console: the key is gone, only its last six characters remain.
    await page.getByRole('link', { name: '← Find another owner' }).click();
    await page.getByLabel("Find the key's owner").waitFor();
    await page.goBack();
    await row.getByText(`${created.prefix}…${created.last6}`).waitFor();
    expect(await page.content()).not.toContain(secret);
    // And after a reload.
    await page.reload();
    await row.getByText(`${created.prefix}…${created.last6}`).waitFor();
    expect(await page.content()).not.toContain(secret);
    // A string, evaluated in the page: the tests are compiled without the DOM's types.
    expect(await page.evaluate<string>('JSON.stringify(localStorage) + JSON.stringify(sessionStorage)')).not.toContain(
      secret,
    );
  });

  it('makes a key the public API refuses outside its IP range, and revokes a key after a confirmation', async () => {
    const { page, ownerId } = await openOwner();

    const outside = await createKey(page, { Name: 'office', 'Allowed IP ranges': '10.0.0.0/8' });
    expectDenial(
      await listModels(outside),
      403,
      `Forbidden – key(${outside.slice(-6)}) allowed only from approved IP ranges.`,
    );

    const doomed = await createKey(page, { Name: 'laptop' });
    expect((await listModels(doomed)).status).toBe(200);
    const row = page.getByRole('region', { name: 'API keys' }).getByRole('row').filter({ hasText: 'laptop' });
    await row.getByRole('button', { name: 'Revoke laptop' }).click();
    // Nothing is revoked until the second, explicit button.
    expect((await keysOf(ownerId)).find((key) => key.name === 'laptop')?.status).toBe('active');
    await row.getByRole('button', { name: 'Yes, revoke laptop' }).click();
    await page.getByRole('status').filter({ hasText: 'Revoked laptop' }).waitFor();
    await row.getByRole('cell', { name: 'revoked', exact: true }).waitFor();

    const keys = await keysOf(ownerId);
    expect(keys.find((key) => key.name === 'laptop')?.status).toBe('revoked');
    expect(keys.find((key) => key.name === 'office')?.status).toBe('active');
    await eventually(
      async () => expectDenial(await listModels(doomed), 401, 'Unauthorized – access token is invalid or expired.'),
      PROPAGATION,
    );
  });

  it('shows a refused key (malformed CIDR, negative budget) with the documented message and its tid, and creates nothing', async () => {
    const { page, ownerId } = await openOwner();

    const form = await submitNewKey(page, { Name: 'bad-range', 'Allowed IP ranges': '127.0.0.1/32\n10.0.0/8' });
    const alert = form.getByRole('alert');
    // The documented 400, naming the field: the message of IpRange in the contracts' fields.ts.
    await alert
      .getByText(
        'Invalid request: allowed_ip_ranges must list IPv4 or IPv6 addresses or CIDR ranges, e.g. 10.0.0.0/8',
        {
          exact: true,
        },
      )
      .waitFor();
    const firstTid = (await alert.textContent())?.match(/tid: ([0-9a-f]{32})/)?.[1];
    expect(firstTid).toMatch(/^[0-9a-f]{32}$/);
    // The field the refusal names is marked, and says why under it; the others are not.
    const ranges = form.getByLabel('Allowed IP ranges');
    expect(await ranges.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText(/must list IPv4/).count()).toBe(2); // the alert and the field
    expect(await form.getByLabel('Budget (USD)').getAttribute('aria-invalid')).toBe('false');

    await form.getByLabel('Allowed IP ranges').fill('');
    await form.getByLabel('Budget (USD)').fill('-1');
    await form.getByRole('button', { name: 'Create key' }).click();
    await alert
      .getByText(
        'Invalid request: budget must be a non-negative decimal string with at most 6 decimals, e.g. "12.50"',
        {
          exact: true,
        },
      )
      .waitFor();
    expect(await form.getByLabel('Budget (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(await ranges.getAttribute('aria-invalid')).toBe('false');
    const secondTid = (await alert.textContent())?.match(/tid: ([0-9a-f]{32})/)?.[1];
    expect(secondTid).toMatch(/^[0-9a-f]{32}$/);
    expect(secondTid).not.toBe(firstTid);

    expect(await keysOf(ownerId)).toEqual([]);
    expect(await page.getByRole('status').filter({ hasText: 'will not be shown again' }).count()).toBe(0);
  });

  it("changes a key's restrictions with the same fields, and an emptied field takes its restriction away", async () => {
    const { page, ownerId } = await openOwner();
    await createKey(page, { Name: 'batch', 'Allowed IP ranges': '10.0.0.0/8', 'RPM limit': '5' });
    const row = page.getByRole('region', { name: 'API keys' }).getByRole('row').filter({ hasText: 'batch' });
    await row.getByRole('button', { name: 'Change batch' }).click();

    const form = page.getByRole('form', { name: 'Change batch' });
    expect(await form.getByLabel('Allowed IP ranges').inputValue()).toBe('10.0.0.0/8');
    expect(await form.getByLabel('RPM limit').inputValue()).toBe('5');
    await form.getByLabel('Allowed IP ranges').fill('');
    await form.getByLabel('RPM limit').fill('120');
    await form.getByLabel('Budget (USD)').fill('3');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    const [changed] = await keysOf(ownerId);
    expect(changed).toMatchObject({
      name: 'batch',
      allowed_ip_ranges: null,
      allowed_models: null,
      expires_at: null,
      budget: '3.000000',
      rpm_limit: 120,
    });
    await row.getByText('any address').waitFor();
  });
});
