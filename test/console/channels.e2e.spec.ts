import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { createCustomer } from '../support/fixtures.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface Channel {
  id: number;
  name: string;
  type: string;
  base_url: string;
  api_key_last4: string;
  models: string[];
  priority: number;
  weight: number;
  status: string;
}

async function signIn(page: Page, key: string, at = '/console/channels'): Promise<void> {
  await page.goto(`${suite.edgeUrl}${at}`);
  await page.getByLabel('Staff API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function channelNamed(name: string): Promise<Channel | undefined> {
  const list = await suite.admin<{ data: Channel[] }>('GET', '/admin/v1/channels');
  expect(list.status).toBe(200);
  return list.body.data.find((channel) => channel.name === name);
}

describe('the Channels page', () => {
  it('lets an admin create a channel to the fake provider, test it, see its health and edit it', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await signIn(page, admin.key);
    await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();

    // Every channel type the schema allows is offered.
    const type = page.getByLabel('Type', { exact: true });
    expect(await type.locator('option').allTextContents()).toEqual(['openai', 'azure', 'anthropic', 'gemini']);

    const name = `console-${Math.random().toString(36).slice(2, 8)}`;
    const upstreamKey = 'sk-upstream-console-7319';
    await page.getByLabel('Name', { exact: true }).fill(name);
    await type.selectOption('openai');
    await page.getByLabel('Base URL').fill(`${suite.fake.url}/v1`);
    const keyField = page.getByLabel('Upstream API key');
    expect(await keyField.getAttribute('type')).toBe('password');
    await keyField.fill(upstreamKey);
    await page.getByLabel('Models', { exact: true }).fill('gpt-4o-mini');
    await page.getByLabel('Priority').fill('5');
    await page.getByLabel('Weight').fill('3');
    await page.getByRole('button', { name: 'Create channel' }).click();

    // The new channel's own page.
    await page.getByRole('heading', { level: 2, name }).waitFor();
    const created = await channelNamed(name);
    expect(created).toMatchObject({
      type: 'openai',
      base_url: `${suite.fake.url}/v1`,
      models: ['gpt-4o-mini'],
      priority: 5,
      weight: 3,
      status: 'enabled',
      api_key_last4: '7319',
    });
    expect(page.url()).toBe(`${suite.edgeUrl}/console/channels/${created!.id}`);
    // The key is never shown back.
    expect(await page.content()).not.toContain(upstreamKey);

    // Health, before any traffic.
    const health = page.getByRole('region', { name: 'Health' });
    await health.getByText('Healthy').waitFor();
    expect(await health.getByText('No recent errors.').count()).toBe(1);

    // A live test against the fake provider.
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('status', { name: 'Test result' });
    await result.getByText(/^Passed: upstream answered 200 in \d+ ms\.$/).waitFor();

    // Edit: the weight changes, the stored key stays (the key field left empty).
    const weight = page.getByLabel('Weight');
    expect(await weight.inputValue()).toBe('3');
    await weight.fill('7');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const edited = await channelNamed(name);
    expect(edited).toMatchObject({ id: created!.id, weight: 7, priority: 5, api_key_last4: '7319' });

    // The list shows it, linking to its page.
    await page.getByRole('link', { name: '← All channels' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      name,
      'openai',
      'gpt-4o-mini',
      'default',
      'enabled',
      '5',
      '7',
    ]);
  });

  it('shows a failed test with its status', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const name = `broken-${Math.random().toString(36).slice(2, 8)}`;
    const channel = await suite.admin<{ id: number }>('POST', '/admin/v1/channels', {
      name,
      base_url: `${suite.fake.url}/v1`,
      api_key: 'sk-upstream-secret-0000',
      models: ['console-broken-model'],
    });
    // The fake provider answers this model with a 503, every time.
    suite.fake.setDefaults({ byModel: { 'console-broken-model': { status: 503 } } });
    expect(channel.status).toBe(201);
    const page = await browser.newPage();
    await signIn(page, admin.key, `/console/channels/${channel.body.id}`);
    await page.getByRole('heading', { level: 2, name }).waitFor();
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page
      .getByRole('status', { name: 'Test result' })
      .getByText(/^Failed: /)
      .waitFor();
  });

  it('with an unknown id shows the documented refusal', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await signIn(page, admin.key, '/console/channels/999999999');
    const alert = page.getByRole('alert').filter({ hasText: 'The channel could not be loaded' });
    await alert.waitFor();
    expect(await alert.getByText(/^tid: /).count()).toBe(1);
  });

  it('is not in the nav of billing staff, nor there by its address', async () => {
    const staff = await createCustomer(suite, { role: 'billing' });
    const page = await browser.newPage();
    await signIn(page, staff.key, '/console/');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Channels' }).count()).toBe(0);
    await page.goto(`${suite.edgeUrl}/console/channels`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  });
});
