/** The HTML pages a reader can reach from the home page by following internal links. */
import type { Browser } from 'playwright-core';

export async function sitePages(browser: Browser, baseUrl: string): Promise<string[]> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const seen = new Set<string>();
  const htmlPages: string[] = [];
  const queue = [`${baseUrl}/`];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (url.endsWith('.json')) continue;
    const response = await page.goto(url);
    if (!response?.ok() || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    htmlPages.push(url);
    for (const link of await page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href))) {
      const target = new URL(link);
      target.hash = '';
      if (target.origin === new URL(baseUrl).origin && !seen.has(target.href)) queue.push(target.href);
    }
  }
  await context.close();
  return htmlPages;
}
