import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): playwright-core drives it, and downloads no browser of its own. */
const CHROMIUM = '/usr/bin/chromium';

/** Where each browser test leaves a screenshot of its last page: what a failure looked like. Gitignored. */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-artifacts/console');

/**
 * Flags for a headless browser in a container that reaches nothing but the
 * suite: no sandbox (tests run as root), no GPU, and none of Chrome's own
 * traffic (QUIC, updates, sync, background fetches).
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  // A plain launch: playwright gives it a fresh temporary profile, removed when it closes.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** The current test's name as a file name: letters, digits, dashes. */
function screenshotName(): string {
  const name = expect.getState().currentTestName ?? 'unnamed test';
  return `${name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 150)}.png`;
}

export interface TestBrowser {
  /** A page in a fresh browser context (no cookies, no storage), closed after the test. */
  newPage(): Promise<Page>;
}

/**
 * One Chromium for the file's tests, a fresh context per page. After each
 * test the last page opened is saved to test-artifacts/console/<test name>.png
 * and every context is closed; after the file, the browser is.
 */
export function useBrowser(): TestBrowser {
  let browser: Browser | undefined;
  let launching: Promise<Browser> | undefined;
  let contexts: BrowserContext[] = [];
  let lastPage: Page | undefined;

  beforeAll(async () => {
    launching = launchChromium();
    browser = await launching;
  }, 60_000);

  afterEach(async () => {
    try {
      if (lastPage && !lastPage.isClosed()) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await lastPage.screenshot({ path: join(SCREENSHOT_DIR, screenshotName()), fullPage: true });
      }
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
      contexts = [];
      lastPage = undefined;
    }
  });

  afterAll(async () => {
    const started = await launching?.catch(() => undefined);
    await started?.close();
  }, 30_000);

  return {
    async newPage() {
      if (!browser) throw new Error('the browser is not running (did beforeAll fail?)');
      const context = await browser.newContext();
      contexts.push(context);
      lastPage = await context.newPage();
      return lastPage;
    },
  };
}
