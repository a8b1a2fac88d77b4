/**
 * Page weight as a reader gets it: bytes transferred (compressed, as a static host sends them: the
 * preview server gzips) until the page is idle, before any interaction, and how many charts it shows.
 * Fonts are counted apart (`fontBytes`): the budget covers everything else, charts included. Used by a
 * test (a budget per page) and by
 *   npm run weigh [-- --resources]   (builds nothing: run `npm run build` first)
 * which prints a table for every page.
 */
import type { Browser } from 'playwright-core';

export interface Resource {
  url: string;
  type: string;
  bytes: number;
}

export interface PageWeight {
  path: string;
  /** Everything transferred before interaction except fonts. */
  bytes: number;
  fontBytes: number;
  requests: number;
  charts: number;
  chartScripts: number;
  resources: Resource[];
}

/** Every page may transfer at most this much before interaction, fonts excluded (issue 14). */
export const DEFAULT_BUDGET_BYTES = 60 * 1024;

/**
 * A budget per page, by path; pages not named get DEFAULT_BUDGET_BYTES. Lower one when a page
 * should stay lighter than the rest, and say why.
 */
export const PAGE_BUDGETS: Record<string, number> = {};

export function budgetFor(path: string): number {
  return PAGE_BUDGETS[path] ?? DEFAULT_BUDGET_BYTES;
}

export async function weigh(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<PageWeight> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const sent = new Map<string, { url: string; type: string }>();
  const resources: Resource[] = [];
  const urls: string[] = [];
  cdp.on('Network.requestWillBeSent', (event) => {
    sent.set(event.requestId, { url: event.request.url, type: event.type ?? 'Other' });
    urls.push(event.request.url);
  });
  cdp.on('Network.responseReceived', (event) => {
    const request = sent.get(event.requestId);
    if (request) request.type = event.type;
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = sent.get(event.requestId) ?? { url: '?', type: 'Other' };
    resources.push({ ...request, bytes: event.encodedDataLength });
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const charts = await page.locator('figure.chart').count();
  await context.close();
  const isFont = (r: Resource) => r.type === 'Font';
  const sum = (list: Resource[]) => list.reduce((total, r) => total + r.bytes, 0);
  return {
    path: new URL(url).pathname,
    bytes: sum(resources.filter((r) => !isFont(r))),
    fontBytes: sum(resources.filter(isFont)),
    requests: resources.length,
    charts,
    chartScripts: urls.filter((u) => /vega/i.test(u)).length,
    resources,
  };
}
