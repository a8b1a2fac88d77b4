/** axe-core in real Chromium, on every page: no accessibility violations, in light and dark mode. */
import AxeBuilder from '@axe-core/playwright';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { sitePages } from './pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
let pages: string[];

beforeAll(async () => {
  pages = await sitePages(browser(), baseUrl);
});

describe('accessibility', () => {
  it.each(['light', 'dark'] as const)('no axe violations on any page in %s mode', async (colorScheme) => {
    const context = await browser().newContext({ colorScheme });
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
