/** axe-core in real Chromium, on every page: no accessibility violations, in light and dark mode. */
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.ts';
import { sitePages } from './pages.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;
let pages: string[];

beforeAll(async () => {
  browser = await launch();
  pages = await sitePages(browser, baseUrl);
});
afterAll(async () => {
  await browser?.close();
});

describe('accessibility', () => {
  it.each(['light', 'dark'] as const)('no axe violations on any page in %s mode', async (colorScheme) => {
    const context = await browser.newContext({ colorScheme });
    const found: string[] = [];
    for (const url of pages) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      const results = await new AxeBuilder({ page }).analyze();
      for (const v of results.violations) found.push(`${new URL(url).pathname}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
      await page.close();
    }
    await context.close();
    expect(found).toEqual([]);
  });
});
