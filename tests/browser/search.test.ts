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

  it('loads its UI only when a reader goes to search, also from the keyboard (Ctrl K)', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(`${baseUrl}/lessons/sigmoid-to-relu/`, { waitUntil: 'networkidle' });
    expect(requests.filter((path) => /pagefind|ui-core/i.test(path))).toEqual([]);
    await page.keyboard.press('Control+k');
    const input = page.locator('dialog[open] input');
    await input.waitFor({ timeout: 15_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await page.keyboard.type('vanishing gradient');
    await page.locator('dialog a[href*="sigmoid-to-relu"]').first().waitFor({ timeout: 15_000 });
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });
});
