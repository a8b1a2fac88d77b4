/** Full-text search over the lessons works offline (Starlight's Pagefind index, built with the site). */
import { describe, expect, inject, it } from 'vitest';
import { useBrowser, watch } from './browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('search', () => {
  it('finds the lesson about ReLU from the search box', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    await page.locator('button[data-open-modal]').click();
    await page.locator('dialog input[type="search"], dialog input').first().fill('vanishing gradient');
    const result = page.locator('dialog a[href*="sigmoid-to-relu"]').first();
    await result.waitFor({ timeout: 15_000 });
    expect(await result.count()).toBe(1);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });
});
