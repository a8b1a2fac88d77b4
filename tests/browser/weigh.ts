/**
 * Page weight as a reader gets it: bytes transferred (compressed, as sent) until the page is idle,
 * before any interaction, and how many charts it shows. Used by a test (a budget) and by
 *   npm run weigh            (builds nothing: run `npm run build` first)
 * which prints a table for every page.
 */
import type { Browser } from 'playwright-core';

export interface PageWeight {
  path: string;
  bytes: number;
  requests: number;
  charts: number;
  chartScripts: number;
}

export async function weigh(browser: Browser, url: string): Promise<PageWeight> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  const urls: string[] = [];
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength;
    requests++;
  });
  cdp.on('Network.requestWillBeSent', (event) => urls.push(event.request.url));
  await page.goto(url, { waitUntil: 'networkidle' });
  const charts = await page.locator('figure.chart').count();
  await context.close();
  return { path: new URL(url).pathname, bytes, requests, charts, chartScripts: urls.filter((u) => /vega/i.test(u)).length };
}
