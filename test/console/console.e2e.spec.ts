import { describe, expect, it } from '@jest/globals';
import { useBrowser } from '../support/browser.js';
import { createCustomer } from '../support/fixtures.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The first script and stylesheet index.html loads: Vite's hashed entry chunk and CSS. */
function assetsOf(html: string): { script: string; style: string } {
  const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  const style = /<link rel="stylesheet" crossorigin href="([^"]+)"/.exec(html)?.[1];
  if (!script || !style) throw new Error(`index.html names no script or stylesheet:\n${html}`);
  return { script, style };
}

/**
 * What the tests read inside the page, as expressions Chromium evaluates: the
 * specs are type-checked without the DOM's types (they are Node programs).
 */
const IN_PAGE = {
  focusedId: 'document.activeElement?.id ?? null',
  keptByTheBrowser:
    '({ cookies: document.cookie, local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage), ' +
    'html: document.documentElement.outerHTML })',
};

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(CSP);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('the console at /console', () => {
  it('serves index.html at /console/ with the security headers, not cached', async () => {
    const response = await fetch(`${suite.edgeUrl}/console/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-tid')).toBeTruthy();
    expectSecurityHeaders(response);
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    // The CSP allows no inline script: every script of the page is a file of the build.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('redirects /console to /console/', async () => {
    const response = await fetch(`${suite.edgeUrl}/console`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('answers a deep link with index.html, so the app routes it', async () => {
    const index = await (await fetch(`${suite.edgeUrl}/console/`)).text();
    const response = await fetch(`${suite.edgeUrl}/console/customers/some-id?tab=ledger`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(response);
    expect(await response.text()).toBe(index);
  });

  it('serves the hashed assets cached immutable, and a missing one is the documented 404', async () => {
    const { script, style } = assetsOf(await (await fetch(`${suite.edgeUrl}/console/`)).text());
    const js = await fetch(`${suite.edgeUrl}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(js);
    const css = await fetch(`${suite.edgeUrl}${style}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);

    const missing = await fetch(`${suite.edgeUrl}/console/assets/index-00000000.js`);
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { code: string; message: string; tid: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toBe('Not found: no console asset assets/index-00000000.js');
    expect(body.error.tid).toBe(missing.headers.get('x-tid'));
  });

  it('serves nothing outside the build', async () => {
    // fetch() would normalise `..` away; the percent-encoded form reaches the edge as sent.
    const response = await fetch(`${suite.edgeUrl}/console/..%2F..%2Fpackage.json`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root"></div>');
  });

  it('loads in Chromium under its CSP and shows a labelled sign-in form', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    const failedFromElsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(suite.edgeUrl)) failedFromElsewhere.push(request.url());
    });
    await page.goto(`${suite.edgeUrl}/console/`);
    const key = page.getByLabel('Staff API key');
    await key.waitFor();
    expect(await key.getAttribute('type')).toBe('password');
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    // Keyboard: the field takes focus by Tab, the button after it.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(IN_PAGE.focusedId)).toBe(await key.getAttribute('id'));
    expect(violations).toEqual([]);
    expect(failedFromElsewhere).toEqual([]);
  });
});

describe('signing in to the console', () => {
  it('with a billing key shows the billing nav only, keeps no key in the browser, and signs out', async () => {
    const staff = await createCustomer(suite, { role: 'billing' });
    const page = await browser.newPage();
    await page.goto(`${suite.edgeUrl}/console/`);
    const key = page.getByLabel('Staff API key');
    await key.fill(staff.key);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await nav.getByRole('heading').allTextContents()).toEqual(['Billing']);
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Customers',
      'Ledger',
      'Bulk adjustments',
      'Reconcile',
      'Request log',
      'Prices & groups',
    ]);
    // The key went to the edge once; the browser holds only the HttpOnly cookie, out of the page's reach.
    const stored = await page.evaluate<Record<string, string>>(IN_PAGE.keptByTheBrowser);
    for (const place of Object.values(stored)) expect(place).not.toContain(staff.key);
    expect(stored.cookies).not.toContain('tollgate_session');

    // Reconcile, with its result.
    await nav.getByRole('link', { name: 'Reconcile' }).click();
    await page.getByRole('button', { name: 'Reconcile now' }).click();
    await page.getByText(/^The books balance: \d+ account\(s\)/).waitFor();

    // What the nav does not show, the API refuses anyway: the documented 403, with its tid, to the cookie too.
    const refused = await page.evaluate(async () => {
      const response = await fetch('/admin/v1/channels', { credentials: 'same-origin' });
      return { status: response.status, body: (await response.json()) as { error: { message: string; tid: string } } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Forbidden – insufficient permissions.');
    expect(refused.body.error.tid).toMatch(/^[0-9a-f]{32}$/);

    // An admin page is not there for billing staff, not even by its address.
    await page.goto(`${suite.edgeUrl}/console/users`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Staff API key').waitFor();
    expect((await fetch(`${suite.edgeUrl}/admin/v1/session`)).status).toBe(401);
  });

  it('with an admin key shows both sections', async () => {
    const admin = await createCustomer(suite, { role: 'admin' });
    const page = await browser.newPage();
    await page.goto(`${suite.edgeUrl}/console/channels`);
    await page.getByLabel('Staff API key').fill(admin.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Channels' }).waitFor();
    expect(await nav.getByRole('heading').allTextContents()).toEqual(['Billing', 'Admin']);
    // The deep link it was opened at is the page shown after signing in.
    await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
  });

  it('with a wrong key shows the documented refusal and its tid, and empties the field', async () => {
    const page = await browser.newPage();
    await page.goto(`${suite.edgeUrl}/console/`);
    const key = page.getByLabel('Staff API key');
    await key.fill('sk-not-a-key-of-this-gateway');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/tid: [0-9a-f]{32}/);
    expect(await key.inputValue()).toBe('');
  });
});
