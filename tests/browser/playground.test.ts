/**
 * "Run it yourself" as a playground on real data (issue 22), in Chromium: every measured chart of
 * trained models offers it; a short precomputed configuration trains and, on WebAssembly, matches the
 * committed rows to the last digit; your own configuration trains and is drawn as yours; bad values are
 * refused at their field before anything trains; runs accumulate and each can be removed; a link that
 * carries finished runs draws them without training; and a digit drawn with pointer events gets a
 * prediction. Runs are kept short (small m; a fixed-epoch run cut to 2 epochs by `run-test-epochs`).
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { openRunPage, RUN_REQUEST } from './run-page.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
/** Generous limits, never a timing claim: the machine may be shared with long experiment runs. */
const PATIENCE = 1_200_000;

const open = (path: string, options: { viewport?: { width: number; height: number }; dark?: boolean } = {}) =>
  openRunPage(browser(), `${baseUrl}${path}`, { ...options, timeout: PATIENCE });

const section = (page: Page, key: string) => page.locator(`#run-${key}`);
const description = (page: Page, chart: string) => page.locator(`figure.chart[data-chart="${chart}"] .chart-description`);
const liveText = (page: Page, chart: string) => page.locator(`figure.chart[data-chart="${chart}"] .chart-live svg`).textContent();

/** What sticks out of a phone's width (the outermost elements, not clipped by a box that scrolls), or '' when nothing does. */
function overflow(page: Page): Promise<string> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return '';
    const clipped = (el: Element) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const found: Element[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.getBoundingClientRect().right <= width + 0.5 || found.some((f) => f.contains(el)) || clipped(el)) continue;
      found.push(el);
      if (found.length >= 3) break;
    }
    return found.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`).join(', ');
  });
}

/** Presses the button and waits for the run to finish (data-state="done"); returns the seconds it reported. */
async function runToDone(page: Page, key: string, button = 'button.run-start') {
  const runs = Number((await section(page, key).getAttribute('data-runs')) ?? 0);
  await section(page, key).locator(button).click();
  await page.waitForFunction(
    ([k, n]) => {
      const s = document.querySelector<HTMLElement>(`#run-${k}`)!;
      return s.dataset.state === 'done' && Number(s.dataset.runs ?? 0) > Number(n);
    },
    [key, runs] as const,
    { timeout: PATIENCE },
  );
  return Number(await section(page, key).getAttribute('data-seconds'));
}

/**
 * Precomputed configurations: [lesson, section key, chart, query]. Each is short, and matches our row on
 * WebAssembly wherever the committed file was made with the settings the page offers (an experiment
 * whose code has moved on to a protocol its committed file predates says so instead: no match claimed).
 */
const PRECOMPUTED: [string, string, string, string, string][] = [
  ['/lessons/role-of-scale/', 'small-data', 'small-data-seeds', 'model=logistic&m=50&seed=1', 'small-data'],
  ['/lessons/larger-networks/', 'model-size', 'model-size-curves', 'model=width-8&m=300&seed=1', 'model-size'],
  ['/lessons/traditional-algorithms-plateau/', 'scale-generalisation-gap', 'scale-generalisation-gap', 'model=logistic&m=100&seed=1', 'scale'],
  ['/lessons/sigmoid-to-relu/', 'saturation', 'saturation-long-run', 'rate=3&seed=1&run-test-epochs=2', 'saturation'],
  ['/lessons/algorithmic-innovations/', 'optimizers', 'optimizers-curves', 'optimizer=sgd&rate=0.1&seed=1&run-test-epochs=2', 'optimizers'],
];

describe('Run it yourself on every measured chart of trained models', () => {
  for (const [lesson, key, chart, query, experiment] of PRECOMPUTED) {
    it(`${chart}: a precomputed configuration trains and matches our committed row on WebAssembly`, async () => {
      const { context, page, problems, requests } = await open(`${lesson}?run=${key}&${query}&backend=wasm`);
      expect(requests.filter((url) => RUN_REQUEST.test(url))).toEqual([]);
      const seconds = await runToDone(page, key);
      console.log(`${chart}: ${query}: ${seconds} s`);
      const offer = (await (await fetch(`${baseUrl}/run/${experiment}.json`)).json()) as { committed: { sameSettings: boolean; backend: string } };
      if (offer.committed.sameSettings && offer.committed.backend === 'wasm') {
        expect(await section(page, key).getAttribute('data-match')).toBe('identical');
        expect(await section(page, key).locator('.run-match').textContent()).toMatch(/^Your run matches ours/);
      } else {
        expect(await section(page, key).getAttribute('data-match')).toBe('none');
      }
      await expect.poll(() => liveText(page, chart), { timeout: PATIENCE }).toContain('Your run 1');
      expect(await description(page, chart).textContent()).toMatch(/Your run 1: .*accuracy/);
      // Only its own packs were fetched: one training set, validation, test.
      const packs = requests.filter((url) => url.includes('/run/mnist/')).map((url) => new URL(url).pathname.replace(/.*\/run\/mnist\//, ''));
      expect(packs.filter((p) => p.startsWith('pool-'))).toEqual([]);
      expect(packs.filter((p) => p.startsWith('train-'))).toHaveLength(1);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
      await context.close();
    }, PATIENCE);
  }
});

describe('A playground', () => {
  let sharedUrl = '';

  it('your configuration and ours accumulate on one chart, either can be removed, and the model reads a drawn digit (320 px, dark)', async () => {
    const { context, page, problems } = await open('/lessons/role-of-scale/?run=small-data&model=logistic&m=50&seed=1', { viewport: { width: 320, height: 700 }, dark: true });
    const key = 'small-data';
    const chart = 'small-data-seeds';
    await runToDone(page, key);
    // Your configuration: a small network on 120 images of seed 7 (not one of our packs: drawn from the pool).
    await section(page, key).locator('details.run-custom summary').click();
    await section(page, key).locator('input[name=c-widths]').fill('16');
    await section(page, key).locator('input[name=c-m]').fill('120');
    await section(page, key).locator('input[name=c-seed]').fill('7');
    await runToDone(page, key, 'button.run-start-custom');
    expect(await section(page, key).getAttribute('data-match')).toBe('custom');
    expect(await section(page, key).locator('.run-match').textContent()).toMatch(/not one of ours.*nearest precomputed configuration: .+images, seed/i);
    await expect.poll(() => liveText(page, chart), { timeout: PATIENCE }).toContain('Your configuration 2');
    expect(await liveText(page, chart)).toContain('Your run 1');
    expect(await section(page, key).locator('.run-list li')).toHaveProperty('count');
    expect(await section(page, key).locator('.run-list li').count()).toBe(2);
    expect(await description(page, chart).textContent()).toMatch(/Your run 1: .*; Your configuration 2: .*test accuracy/);
    sharedUrl = page.url();
    expect(new URL(sharedUrl).searchParams.get('saved-small-data')).toBeTruthy();

    // Try the model (the last run's): draw a "1" with pointer events, get ten probabilities.
    const pad = section(page, key).locator('canvas.run-try-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
    await page.mouse.up();
    await expect.poll(() => section(page, key).locator('.run-try-prediction').textContent(), { timeout: PATIENCE }).toMatch(/^The model reads a \d \(\d+\.\d%\)/);
    expect(await section(page, key).locator('.run-try-probabilities li').count()).toBe(10);
    // Keyboard: a test image is a button.
    const sample = section(page, key).locator('button.run-try-sample').first();
    await sample.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => section(page, key).locator('.run-try-prediction').textContent(), { timeout: PATIENCE }).toMatch(/: (right|wrong), it is a \d\./);

    // Remove the first run: one series left, on the chart, in its text and in the address.
    await section(page, key).locator('.run-list li').first().locator('button.run-remove').click();
    await expect.poll(() => section(page, key).locator('.run-list li').count()).toBe(1);
    await expect.poll(() => liveText(page, chart)).not.toContain('Your run 1');
    expect(await liveText(page, chart)).toContain('Your configuration 2');
    expect(await description(page, chart).textContent()).not.toMatch(/Your run 1/);
    expect(await overflow(page)).toBe('');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  it('a link carrying finished runs draws them without training, and one can be retrained to check', async () => {
    expect(sharedUrl).not.toBe('');
    const url = new URL(sharedUrl);
    const { context, page, problems, requests } = await open(`${url.pathname}${url.search}`);
    const key = 'small-data';
    await page.waitForSelector(`#run-${key}[data-state="restored"]`, { timeout: PATIENCE });
    await expect.poll(() => liveText(page, 'small-data-seeds'), { timeout: PATIENCE }).toContain('Your run 1');
    expect(await liveText(page, 'small-data-seeds')).toContain('Your configuration 2');
    expect(await section(page, key).locator('.run-list').textContent()).toMatch(/from the link, not trained here/);
    // Nothing trained: no worker, no MNIST pack.
    expect(page.workers()).toHaveLength(0);
    expect(requests.filter((r) => r.includes('/run/mnist/'))).toEqual([]);
    // Retrain the first (logistic regression on 50 images): identical to what the link carried.
    await section(page, key).locator('.run-list li').first().locator('button.run-retrain').click();
    await page.waitForSelector(`#run-${key}[data-state="done"]`, { timeout: PATIENCE });
    expect(await section(page, key).getAttribute('data-check')).toBe('identical');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  it('refuses bad values at their field, with the reason, before anything trains', async () => {
    const { context, page, problems, requests } = await open('/lessons/larger-networks/');
    const key = 'model-size';
    await section(page, key).locator('details.run-custom summary').click();
    await section(page, key).locator('input[name=c-widths]').fill('0');
    await section(page, key).locator('input[name=c-rate]').fill('50');
    await section(page, key).locator('input[name=c-m]').fill('60000');
    await section(page, key).locator('button.run-start-custom').click();
    await page.waitForSelector(`#run-${key}[data-invalid]`, { timeout: PATIENCE });
    for (const [name, reason] of [
      ['c-widths', /at least 1/],
      ['c-rate', /at most 10/],
      ['c-m', /pool holds only 55,000/],
    ] as const) {
      const field = section(page, key).locator(`[name=${name}]`);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
      const messages = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()));
      expect(messages.join(' ')).toMatch(reason);
    }
    // Nothing trained, nothing fetched for training.
    expect(page.workers()).toHaveLength(0);
    expect(requests.filter((r) => r.includes('/run/mnist/'))).toEqual([]);
    expect(await section(page, key).getAttribute('data-state')).toBe('idle');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);
});
