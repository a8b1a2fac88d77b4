import type { Browser, BrowserContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser, watch } from './browser.ts';

const baseUrl = inject('baseUrl');
const lesson = `${baseUrl}/lessons/traditional-algorithms-plateau/`;
const browser = useBrowser();

async function open(url: string, options: Parameters<Browser['newContext']>[0] = {}) {
  const context: BrowserContext = await browser().newContext(options);
  const page = await context.newPage();
  const problems = watch(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: 'networkidle' });
  return { context, page, problems, requests };
}

describe('the plateau lesson in Chromium', () => {
  it('shows the static chart with its marks drawn, and no errors', async () => {
    const { context, page, problems } = await open(lesson);
    const chart = page.locator('figure.chart[data-chart="scale-learning-curves"]');
    await expect(chart.count()).resolves.toBe(1);
    // Lines and points: every model has a drawn path.
    const drawnPaths = await chart.locator('.chart-canvas svg path[d^="M"]').count();
    expect(drawnPaths).toBeGreaterThanOrEqual(4);
    // One static rendering, scaled to its box; its text alternative is the chart's description.
    await expect(chart.locator('.chart-canvas svg').count()).resolves.toBe(1);
    const box = await chart.locator('.chart-static svg').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(150);
    await expect(chart.locator('.chart-static svg').getAttribute('role')).resolves.toBe('img');
    const describedBy = await chart.locator('.chart-static svg').getAttribute('aria-describedby');
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toMatch(/test accuracy/);
    await expect(chart.locator('.chart-description').textContent()).resolves.toMatch(/test accuracy.*\d+\.\d%/);
    await expect(chart.locator('a[href$="/data/scale.json"]').count()).resolves.toBe(1);
    await expect(chart.locator('.provenance').textContent()).resolves.toMatch(/wasm|tensorflow|cpu/);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });

  it('fits a 320 px phone screen, its one rendering scaled to the column', async () => {
    const { context, page, problems } = await open(lesson, { viewport: { width: 320, height: 640 }, deviceScaleFactor: 2 });
    const chart = page.locator('figure.chart').first();
    const box = await chart.locator('.chart-static svg').boundingBox();
    expect(box!.width).toBeGreaterThan(250);
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems.consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows the chart with JavaScript off', async () => {
    const { context, page } = await open(lesson, { javaScriptEnabled: false });
    const drawnPaths = await page.locator('figure.chart .chart-canvas svg path[d^="M"]').count();
    expect(drawnPaths).toBeGreaterThanOrEqual(4);
    await context.close();
  });

  it('loads no chart library nor spec before interaction, then becomes interactive with tooltips on hover', async () => {
    const { context, page, problems, requests } = await open(lesson);
    expect(requests.filter((url) => /vega|\/charts\//i.test(url))).toEqual([]);
    // The spec and its data are not in the page: they are fetched on demand.
    expect(await page.locator('script[type="application/json"]').count()).toBe(0);
    const chart = page.locator('figure.chart').first();
    await chart.scrollIntoViewIfNeeded();
    await chart.locator('.chart-canvas').hover();
    await page.waitForSelector('figure.chart[data-interactive="ready"]', { timeout: 30_000 });
    expect(requests.filter((url) => url.endsWith('/charts/scale-learning-curves.json'))).toHaveLength(1);
    // The live chart replaced the static one.
    await expect(chart.locator('.chart-static').count()).resolves.toBe(0);
    await expect(chart.locator('.chart-canvas svg').count()).resolves.toBe(1);
    // Hover a point of the live chart: vega-tooltip shows its exact values.
    const point = chart.locator('.chart-live svg path[aria-roledescription="point"], .chart-live svg .mark-symbol path').first();
    await point.hover({ force: true });
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 10_000 });
    await expect(page.locator('#vg-tooltip-element').textContent()).resolves.toMatch(/Mean test accuracy/);
    // Clicking a legend entry fades the other series.
    const opacities = () => chart.locator('.chart-live svg .mark-line path').evaluateAll((paths) => paths.map((p) => Number(getComputedStyle(p).opacity || p.getAttribute('opacity') || 1)));
    const before = await opacities();
    await chart.locator('.chart-live svg .role-legend-symbol path, .chart-live svg .role-legend-label text').first().click({ force: true });
    await expect.poll(async () => (await opacities()).filter((o) => o < 0.5).length).toBeGreaterThan(0);
    expect(before.every((o) => o > 0.5)).toBe(true);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });

  it('serves the result file behind the chart', async () => {
    const response = await fetch(`${baseUrl}/data/scale.json`);
    expect(response.status).toBe(200);
    const data = (await response.json()) as { id: string; rows: unknown[] };
    expect(data.id).toBe('scale');
    expect(data.rows.length).toBeGreaterThan(0);
  });
});
