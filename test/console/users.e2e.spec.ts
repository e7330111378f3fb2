import { describe, expect, it } from '@jest/globals';
import { eventually } from '@tollgate/testing';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { createCustomer } from '../support/fixtures.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface User {
  id: string;
  name: string;
  email: string | null;
  role: string;
  group: string;
  status: string;
}

interface ErrorBody {
  error: { message: string; tid: string };
}

const TID = /tid: [0-9a-f]{32}/;
/** The documented refusal of a change only root may make (libs/errors, the README's Errors section). */
const FORBIDDEN = 'Forbidden – insufficient permissions.';
/** The edge's auth cache hears of a suspension over NATS: a moment, not a request's time. */
const PROPAGATION = { timeoutMs: 1000 };

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

async function signIn(page: Page, key: string, path = '/console/users'): Promise<void> {
  await page.goto(`${suite.edgeUrl}${path}`);
  await page.getByLabel('Staff API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

async function getUser(id: string): Promise<User> {
  const user = await suite.admin<User>('GET', `/admin/v1/users/${id}`);
  expect(user.status).toBe(200);
  return user.body;
}

/** The users whose name or e-mail contains `text`, as the admin API finds them. */
async function usersMatching(text: string): Promise<User[]> {
  const list = await suite.admin<{ data: User[] }>('GET', `/admin/v1/users?search=${encodeURIComponent(text)}`);
  expect(list.status).toBe(200);
  return list.body.data;
}

/** A public API call with a customer's key: the models list needs no channel or balance. */
async function listModels(key: string): Promise<{ status: number; body: ErrorBody }> {
  const answer = await fetch(`${suite.edgeUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  return { status: answer.status, body: (await answer.json()) as ErrorBody };
}

/** The text of the fact `term` in the user's facts list. */
async function fact(page: Page, term: string): Promise<string | null> {
  return page.locator('dl.facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').textContent();
}

describe('the Users pages, for admins', () => {
  it('creates a user with an e-mail, finds them by it, and saves a change of group and role', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await signIn(page, admin.key);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

    const create = page.getByRole('form', { name: 'Create a user' });
    // Every role is offered (the API decides who may give which), and the group starts at the default.
    const roles = await create.getByLabel('Role').locator('option').all();
    expect(await Promise.all(roles.map((option) => option.getAttribute('value')))).toEqual([
      'user',
      'billing',
      'admin',
      'root',
    ]);
    expect(await create.getByLabel('Group').inputValue()).toBe('default');
    const name = unique('Grace');
    const email = `${name.toLowerCase()}@example.com`;
    await create.getByLabel('Name').fill(name);
    await create.getByLabel('E-mail').fill(email);
    await create.getByRole('button', { name: 'Create user' }).click();

    // The new user's own page.
    await page.getByRole('heading', { level: 2, name }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `Created ${name}.` })
      .waitFor();
    const [created] = await usersMatching(email);
    expect(created).toMatchObject({ name, email, role: 'user', group: 'default', status: 'active' });
    expect(page.url()).toBe(`${suite.edgeUrl}/console/users/${created.id}`);
    expect(await fact(page, 'User id')).toBe(created.id);
    expect(await page.getByRole('link', { name: "Manage this user's keys" }).getAttribute('href')).toBe(
      `/console/keys/${created.id}`,
    );
    expect(await page.getByRole('link', { name: 'Open as customer' }).getAttribute('href')).toBe(
      `/console/customers/${created.id}`,
    );

    // Back to the list, and find them by part of the e-mail address, in any case.
    await page.getByRole('link', { name: '← All users' }).click();
    await page.getByLabel('Find a user').fill(email.split('@')[0].toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('table', { name: /Users matching/ });
    await results.waitFor();
    expect(await results.getByRole('row').count()).toBe(2); // the header and the one match
    await results.getByRole('link', { name }).click();

    // Change the group and the role: only those two are sent.
    const edit = page.getByRole('form', { name: 'Edit' });
    await edit.getByLabel('Group').fill('gold');
    await edit.getByLabel('Role').selectOption('billing');
    const patch = page.waitForRequest((request) => request.method() === 'PATCH');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect((await patch).postDataJSON()).toEqual({ role: 'billing', group: 'gold' });
    await edit.getByRole('status').filter({ hasText: 'Saved: role, group.' }).waitFor();
    expect(await getUser(created.id)).toMatchObject({ name, email, role: 'billing', group: 'gold', status: 'active' });
    expect(await fact(page, 'Group')).toBe('gold');
    expect(await fact(page, 'Role')).toBe('billing');
    // The form shows what is saved now; saving it again sends nothing.
    expect(await edit.getByLabel('Group').inputValue()).toBe('gold');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByRole('status').filter({ hasText: 'Nothing to save: no field was changed.' }).waitFor();
  });

  it('suspends a user only once confirmed: their key is refused as documented, and works again once reactivated', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const user = await suite.admin<User>('POST', '/admin/v1/users', { name: unique('Linus') });
    expect(user.status).toBe(201);
    const key = await suite.admin<{ key: string }>('POST', `/admin/v1/users/${user.body.id}/keys`, {});
    expect(key.status).toBe(201);
    // Answered once, the key's principal is in the edge's cache: the suspension must reach it there.
    expect((await listModels(key.body.key)).status).toBe(200);

    const page = await browser.newPage();
    await signIn(page, admin.key, `/console/users/${user.body.id}`);
    const status = page.getByRole('region', { name: 'Status' });
    await status.getByText('Active: the keys of this user are accepted.').waitFor();

    // The first button only asks; cancelling changes nothing.
    await status.getByRole('button', { name: 'Suspend', exact: true }).click();
    const confirm = status.getByRole('group', { name: `Suspend ${user.body.name}?` });
    await confirm.getByText('Suspending refuses every key of this user').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await getUser(user.body.id)).status).toBe('active');

    // A name being typed in the edit form is not lost to the suspension.
    const name = page.getByRole('form', { name: 'Edit' }).getByLabel('Name');
    await name.fill('Typed, not saved');
    await status.getByRole('button', { name: 'Suspend', exact: true }).click();
    await status.getByRole('button', { name: `Yes, suspend ${user.body.name}` }).click();
    await status
      .getByRole('status')
      .filter({ hasText: `Suspended ${user.body.name}.` })
      .waitFor();
    await status.getByText('Suspended: every key of this user is refused.').waitFor();
    expect(await name.inputValue()).toBe('Typed, not saved');
    expect((await getUser(user.body.id)).status).toBe('suspended');
    expect(await fact(page, 'Status')).toBe('suspended');
    await eventually(async () => {
      const refused = await listModels(key.body.key);
      expect({ status: refused.status, message: refused.body.error?.message }).toEqual({
        status: 403,
        message: 'Account suspended.',
      });
      expect(refused.body.error.tid).toMatch(/^[0-9a-f]{32}$/);
    }, PROPAGATION);

    await status.getByRole('button', { name: 'Reactivate', exact: true }).click();
    await status.getByRole('button', { name: `Yes, reactivate ${user.body.name}` }).click();
    await status
      .getByRole('status')
      .filter({ hasText: `Reactivated ${user.body.name}.` })
      .waitFor();
    expect((await getUser(user.body.id)).status).toBe('active');
    await eventually(async () => expect((await listModels(key.body.key)).status).toBe(200), PROPAGATION);
  });

  it('refuses an admin creating or promoting a root user with the documented message and its tid, and changes nothing', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await signIn(page, admin.key);

    const name = unique('Would-be-root');
    const create = page.getByRole('form', { name: 'Create a user' });
    await create.getByLabel('Name').fill(name);
    await create.getByLabel('Role').selectOption('root');
    await create.getByRole('button', { name: 'Create user' }).click();
    const refused = create.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('The user was not created.');
    expect(await refused.textContent()).toContain(FORBIDDEN);
    expect(await refused.textContent()).toMatch(TID);
    expect(page.url()).toBe(`${suite.edgeUrl}/console/users`);
    expect(await usersMatching(name)).toEqual([]);

    const target = await createCustomer(suite);
    await page.goto(`${suite.edgeUrl}/console/users/${target.userId}`);
    const edit = page.getByRole('form', { name: 'Edit' });
    await edit.getByLabel('Role').selectOption('root');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const notSaved = edit.getByRole('alert');
    await notSaved.waitFor();
    expect(await notSaved.textContent()).toContain('The user was not saved.');
    expect(await notSaved.textContent()).toContain(FORBIDDEN);
    expect(await notSaved.textContent()).toMatch(TID);
    expect((await getUser(target.userId)).role).toBe('user');
    expect(await fact(page, 'Role')).toBe('user');
  });

  it('shows the documented validation message for a malformed e-mail, and creates nothing', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await signIn(page, admin.key);

    const name = unique('Malformed');
    const create = page.getByRole('form', { name: 'Create a user' });
    await create.getByLabel('Name').fill(name);
    await create.getByLabel('E-mail').fill('not-an-e-mail');
    await create.getByRole('button', { name: 'Create user' }).click();
    const refused = create.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Invalid request: email must be an e-mail address');
    expect(await refused.textContent()).toMatch(TID);
    expect(await usersMatching(name)).toEqual([]);
    // The e-mail field is the one marked, with the reason under it.
    expect(await create.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true');
    expect(await create.getByLabel('Name').getAttribute('aria-invalid')).toBe('false');
  });

  it('answers an unknown user id with the documented refusal', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await signIn(page, admin.key, '/console/users/00000000-0000-4000-8000-000000000000');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Could not open this user.');
    expect(await alert.textContent()).toContain('Not found: no such user');
    expect(await alert.textContent()).toMatch(TID);
  });
});
