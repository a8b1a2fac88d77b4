/**
 * The interactive chart in Chromium: it lays out again when its box changes (window resize, phone
 * rotation), follows the theme switched after it loaded, is reachable from the keyboard, and exposes its
 * view (the `chart:interactive` event, for code that adds a reader's own run to a chart).
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser, watch } from './browser.ts';
import { sitePages } from './pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

async function open(path: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser().newContext({ viewport, colorScheme: 'light' });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
  return { context, page, problems };
}

async function makeInteractive(page: Page, id: string) {
  const figure = page.locator(`figure.chart[data-chart="${id}"]`);
  // Say where the browser is if the chart is not there (seen once on a heavily loaded machine).
  if ((await figure.count()) === 0) {
    const where = await page.evaluate(() => `${location.href} "${document.title}" (${document.readyState}, ${document.documentElement.outerHTML.length} characters)`);
    throw new Error(`No chart "${id}" on ${where}`);
  }
  await figure.scrollIntoViewIfNeeded();
  await figure.locator('.chart-canvas').hover();
  await page.waitForSelector(`figure.chart[data-chart="${id}"][data-interactive="ready"]`, { timeout: 30_000 });
  return figure;
}

/** The width the live chart was laid out at (its SVG's own, unscaled width) and its box's width. */
async function widths(page: Page, id: string) {
  return page.locator(`figure.chart[data-chart="${id}"] .chart-canvas`).evaluate((canvas) => {
    const svg = canvas.querySelector<SVGSVGElement>('.chart-live svg')!;
    // Laid out, not scaled by CSS: the drawn size is the size it was laid out at.
    if (Math.abs(svg.getBoundingClientRect().width - svg.width.baseVal.value) > 0.5) return { box: canvas.clientWidth, svg: NaN };
    return { box: canvas.clientWidth, svg: svg.width.baseVal.value };
  });
}

describe.each([
  ['a single view', '/lessons/traditional-algorithms-plateau/', 'scale-learning-curves'],
  ['a faceted view', '/lessons/sigmoid-to-relu/', 'activations-training'],
])('the interactive chart, %s', (_, path, id) => {
  it('takes the width of its box and lays out again on resize and rotation', async () => {
    const { context, page, problems } = await open(path);
    await makeInteractive(page, id);
    const wide = await widths(page, id);
    expect(Math.abs(wide.svg - wide.box)).toBeLessThanOrEqual(2);
    // A phone in portrait, then turned to landscape.
    const boxes: number[] = [];
    for (const viewport of [{ width: 360, height: 740 }, { width: 740, height: 360 }]) {
      await page.setViewportSize(viewport);
      await expect.poll(async () => {
        const now = await widths(page, id);
        return Math.abs(now.svg - now.box) <= 2 && now.box <= viewport.width;
      }).toBe(true);
      boxes.push((await widths(page, id)).box);
    }
    expect(boxes[0]).toBeLessThan(boxes[1]!);
    expect(boxes[0]).toBeLessThan(wide.box);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });
});

describe('the interactive chart', () => {
  it('follows the theme when it is switched after the chart loaded, tooltip included', async () => {
    const { context, page, problems } = await open('/lessons/traditional-algorithms-plateau/');
    const figure = await makeInteractive(page, 'scale-learning-curves');
    const labelColor = () => figure.locator('.chart-live svg .role-axis-label text').first().evaluate((t) => getComputedStyle(t).fill);
    const pageText = () => figure.evaluate((f) => getComputedStyle(f).color);
    const light = await labelColor();
    expect(light).toBe(await pageText());
    await page.locator('starlight-theme-select select').first().selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await labelColor();
    expect(dark).not.toBe(light);
    expect(dark).toBe(await pageText());
    // The tooltip takes the dark page's colours too.
    await figure.locator('.chart-live svg .mark-symbol path').first().hover({ force: true });
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 10_000 });
    const tooltip = await page.locator('#vg-tooltip-element').evaluate((el) => ({
      background: getComputedStyle(el).backgroundColor,
      page: getComputedStyle(document.body).backgroundColor,
    }));
    expect(tooltip.background).toBe(tooltip.page);
    expect(problems.consoleErrors).toEqual([]);
    await context.close();
  });

  it('is reachable from the keyboard: tabbing to the chart loads it and keeps the focus there', async () => {
    const { context, page, problems } = await open('/lessons/traditional-algorithms-plateau/');
    let focused = '';
    for (let presses = 0; presses < 80 && focused !== 'chart'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement?.classList.contains('chart-canvas') ? 'chart' : ''));
    }
    expect(focused).toBe('chart');
    await page.waitForSelector('figure.chart[data-interactive="ready"]', { timeout: 30_000 });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('chart-canvas'))).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby'))).toMatch(/^chart-scale-learning-curves-title$/);
    expect(problems.consoleErrors).toEqual([]);
    await context.close();
  });

  it('announces its view, whose rows can be read and added to (for a reader’s own run)', async () => {
    const { context, page, problems } = await open('/lessons/traditional-algorithms-plateau/');
    await page.evaluate(() => {
      document.addEventListener('chart:interactive', (event) => {
        (window as unknown as { announced: unknown }).announced = (event as CustomEvent).detail;
      });
    });
    await makeInteractive(page, 'scale-learning-curves');
    const result = await page.evaluate(async () => {
      const { id, view } = (window as unknown as { announced: { id: string; view: import('vega').View } }).announced;
      const before = view.data('results').length;
      // Plain objects: a copy of a row the view holds would carry its internal id along.
      const first = JSON.parse(JSON.stringify(view.data('results')[0])) as Record<string, unknown>;
      await view.insert('results', [{ ...first, label: 'Your run', model: 'yours' }]).runAsync();
      const legend = [...document.querySelectorAll('figure.chart .chart-live svg .role-legend-label text')].map((t) => t.textContent);
      // The added series' colour: its own, not the first model's wrapped round (eight models fill the palette).
      const symbols = [...document.querySelectorAll<SVGPathElement>('figure.chart .chart-live svg .role-legend-symbol path')].map((p) => getComputedStyle(p).fill);
      return { id, before, after: view.data('results').length, legend, symbols };
    });
    expect(result.id).toBe('scale-learning-curves');
    expect(result.before).toBeGreaterThan(0);
    expect(result.after).toBe(result.before + 1);
    expect(result.legend).toContain('Your run');
    const yours = result.symbols[result.legend.indexOf('Your run')];
    expect(result.symbols.filter((fill) => fill === yours)).toHaveLength(1);
    expect(problems.consoleErrors).toEqual([]);
    await context.close();
  });
});

describe('every interactive chart on a 320 px phone', () => {
  it('fits its box: no text cut off at the edge of its picture, no picture wider than its box, no page scrolling sideways', async () => {
    const pages = await sitePages(browser(), baseUrl);
    const misfits: string[] = [];
    let charts = 0;
    for (const url of pages) {
      const { context: phone, page, problems } = await open(url.replace(baseUrl, ''), { width: 320, height: 740 });
      for (const id of await page.$$eval('figure.chart', (figures) => figures.map((f) => (f as HTMLElement).dataset.chart!))) {
        await makeInteractive(page, id);
        charts++;
        const fit = await page.locator(`figure.chart[data-chart="${id}"]`).evaluate((figure) => {
          const box = figure.querySelector<HTMLElement>('.chart-canvas')!;
          const svg = figure.querySelector<SVGSVGElement>('.chart-live svg')!.getBoundingClientRect();
          const cut = [...figure.querySelectorAll<SVGTextElement>('.chart-live svg text')]
            .filter((t) => {
              const b = t.getBoundingClientRect();
              return b.width > 0 && (b.left < svg.left - 1 || b.right > svg.right + 1 || b.top < svg.top - 1 || b.bottom > svg.bottom + 1);
            })
            .map((t) => t.textContent);
          return { box: box.clientWidth, svg: svg.width, cut, page: document.documentElement.scrollWidth - window.innerWidth };
        });
        if (fit.svg > fit.box + 1 || fit.cut.length || fit.page > 0) misfits.push(`${url} ${id}: picture ${Math.round(fit.svg)} px in a ${fit.box} px box, page ${fit.page} px too wide, cut: ${fit.cut.join(' | ')}`);
      }
      expect(problems.consoleErrors).toEqual([]);
      await phone.close();
    }
    expect(charts).toBeGreaterThan(10);
    expect(misfits).toEqual([]);
  });
});
