/** Every page a reader can reach from the home page: it loads, draws its charts, and links nowhere broken. */
import { describe, expect, inject, it } from 'vitest';
import { useBrowser, watch } from './browser.ts';
import { sitePages } from './pages.ts';
import { budgetFor, weigh } from './weigh.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('the whole site', () => {
  it('every internal page loads without errors, charts draw, and no internal link (nor the section it names) is broken', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const seen = new Set<string>();
    const queue = [`${baseUrl}/`];
    const broken: string[] = [];
    // Each page's element ids, and every link that names a section (#id) of an internal page.
    const ids = new Map<string, Set<string>>();
    const sectionLinks: { from: string; page: string; id: string }[] = [];
    while (queue.length) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      // Data files are checked without opening them as a page (the browser would also ask for /favicon.ico).
      if (url.endsWith('.json')) {
        const data = await page.request.get(url);
        if (!data.ok()) broken.push(`${url} (HTTP ${data.status()})`);
        continue;
      }
      // networkidle: leaving a page while it still loads would abort its requests and read as failures.
      const response = await page.goto(url, { waitUntil: 'networkidle' });
      if (!response || response.status() >= 400) {
        broken.push(`${url} (HTTP ${response?.status()})`);
        continue;
      }
      if (!(response.headers()['content-type'] ?? '').includes('text/html')) continue;
      for (const figure of await page.locator('figure.chart').all()) {
        expect(await figure.locator('.chart-static svg path[d^="M"]').count(), `chart on ${url}`).toBeGreaterThan(0);
        // The spec its interactive version will fetch is there.
        const spec = new URL((await figure.getAttribute('data-chart-spec'))!, url).href;
        if (!seen.has(spec)) queue.push(spec);
      }
      ids.set(url, new Set(await page.$$eval('[id]', (elements) => elements.map((e) => e.id))));
      const links = await page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      for (const link of links) {
        const target = new URL(link);
        const id = decodeURIComponent(target.hash.slice(1));
        target.hash = '';
        if (id && target.origin === new URL(baseUrl).origin) sectionLinks.push({ from: url, page: target.href, id });
        if (target.origin === new URL(baseUrl).origin && !seen.has(target.href)) queue.push(target.href);
      }
    }
    expect(broken).toEqual([]);
    // A link to a section that was renamed or removed lands at the top of the page, silently.
    const missing = sectionLinks.filter(({ page, id }) => ids.has(page) && !ids.get(page)!.has(id)).map(({ from, page, id }) => `${from} → ${page}#${id}`);
    expect([...new Set(missing)], 'links to sections that do not exist').toEqual([]);
    expect([...seen].some((u) => u.endsWith('/reproduce/'))).toBe(true);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });
});

describe('page weight', () => {
  it('every page stays within its budget before interaction (fonts apart, charts included) and loads no chart code or spec', async () => {
    const heavy: string[] = [];
    for (const url of await sitePages(browser(), baseUrl)) {
      const weight = await weigh(browser(), url);
      expect(weight.chartScripts, `${weight.path} loaded chart scripts before interaction`).toBe(0);
      expect(weight.resources.filter((r) => r.url.includes('/charts/')), `${weight.path} fetched a chart spec before interaction`).toEqual([]);
      const budget = budgetFor(weight.path);
      if (weight.bytes > budget) {
        const largest = [...weight.resources].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((r) => `${new URL(r.url).pathname} ${(r.bytes / 1024).toFixed(1)} KB`);
        heavy.push(`${weight.path}: ${(weight.bytes / 1024).toFixed(1)} KB > ${(budget / 1024).toFixed(0)} KB (largest: ${largest.join(', ')}; see npm run weigh -- --resources)`);
      }
    }
    expect(heavy).toEqual([]);
  });
});
