/** Debian's Chromium driven by playwright-core: no browser download, works offline. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
}

/** Records console errors, uncaught exceptions and failed or non-2xx/3xx requests on a page. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [] };
  page.on('console', (message) => {
    // With the page and the resource, so that a failure says where to look.
    if (message.type() === 'error') problems.consoleErrors.push(`${page.url()}: ${message.text()} ${message.location().url ?? ''}`.trim());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(String(error)));
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()} (HTTP ${response.status()})`);
  });
  return problems;
}

/**
 * One Chromium for a test file: launched before its tests, closed after. Returns a getter, since the
 * browser exists only once beforeAll has run.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser(): the browser is available only inside tests and hooks.');
    return browser;
  };
}
