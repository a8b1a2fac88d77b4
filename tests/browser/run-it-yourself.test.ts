/**
 * "Run it yourself" in Chromium: the reader's browser trains a configuration with the engine's own code
 * in a Web Worker on WebAssembly, and its numbers are compared with the same trial run here, in Node,
 * on the same backend (runTrial: same code, same seed, same images). Also: nothing is fetched before the
 * reader acts, the page stays responsive, Cancel stops the worker and a second run works, a link
 * restores its configuration, and the activations chart takes the reader's run too.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';
import { runTrial, type TrialOutcome } from '../../experiments/lib/trial.ts';
import { withSetting } from '../../experiments/lib/setting.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { loadResult } from '../../src/lib/results.ts';
import { COMPARED_FIELDS } from '../../src/run/compare.ts';
import { useBrowser } from './browser.ts';
import { openRunPage, RUN_REQUEST } from './run-page.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** The small configuration the browser runs: logistic regression on 100 images, seed 1 (seconds). */
const SMALL = { model: 'logistic', m: 100, seed: 1 };
const SCALE_PAGE = '/lessons/traditional-algorithms-plateau/';


const open = (path: string, viewport?: { width: number; height: number }) => openRunPage(browser(), `${baseUrl}${path}`, { viewport, timeout: PATIENCE });

/**
 * Generous limits, never a timing claim: on a machine shared with long experiment runs a page may wait
 * minutes for a CPU. What each test checks is an order of events, not a duration.
 */
const PATIENCE = 1_800_000;

const section = (page: Page, experiment: string) => page.locator(`#run-${experiment}`);

async function waitForState(page: Page, experiment: string, state: string, timeout = PATIENCE) {
  await page.waitForSelector(`#run-${experiment}[data-state="${state}"]`, { timeout });
}

describe('Run it yourself, data-scale chart', () => {
  let reference: Promise<TrialOutcome>;
  beforeAll(() => {
    // The same trial in Node, on the same backend, with the settings of the committed rows; started
    // now, awaited where it is compared.
    const config = scale.configs.full;
    const model = config.models.find((m) => m.name === SMALL.model)!;
    const base = { model: model.name, spec: model.spec, optimizer: config.optimizer, m: SMALL.m, seed: SMALL.seed, batchSize: config.batchSize, stopping: config.stopping, testSize: config.testSize };
    // The setting tuning chose for this cell, where the committed rows record one (what the page trains).
    const committed = loadResult('scale').rows.find((r) => r.kind === undefined && r.model === SMALL.model && r.m === SMALL.m && r.seed === SMALL.seed);
    const setting = typeof committed?.learningRate === 'number' ? { learningRate: committed.learningRate, ...(typeof committed.l2 === 'number' ? { l2: committed.l2 } : {}) } : undefined;
    reference = selectBackend('wasm').then(() => runTrial(setting ? withSetting(base, setting) : base));
    reference.catch(() => {});
  }, PATIENCE);

  it('fetches nothing of a run before the reader acts', async () => {
    const { context, page, requests } = await open(SCALE_PAGE);
    await page.mouse.move(5, 5);
    await page.waitForLoadState('networkidle');
    expect(requests.filter((url) => RUN_REQUEST.test(url))).toEqual([]);
    expect(await section(page, 'scale').locator('button.run-start').count()).toBe(1);
    await context.close();
  }, PATIENCE);

  it('restores a configuration from its link, trains it in a worker with progress while the page responds, and reproduces the Node run', async () => {
    const { context, page, problems, requests } = await open(`${SCALE_PAGE}?run=scale&model=${SMALL.model}&m=${SMALL.m}&seed=${SMALL.seed}&backend=wasm`);
    const form = section(page, 'scale').locator('form');
    expect(await form.locator('select[name=model]').inputValue()).toBe(SMALL.model);
    expect(await form.locator('select[name=m]').inputValue()).toBe(String(SMALL.m));
    expect(await form.locator('select[name=seed]').inputValue()).toBe(String(SMALL.seed));
    expect(requests.filter((url) => RUN_REQUEST.test(url))).toEqual([]);

    // An input of the page's own, to type into while the worker trains.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'typing-probe';
      document.querySelector('#run-scale')!.append(input);
    });
    await form.locator('button.run-start').click();
    await page.waitForFunction(() => /^Training: epoch/.test(document.querySelector('#run-scale .run-status')?.textContent ?? ''), undefined, { timeout: PATIENCE });
    expect(page.workers().length).toBe(1);
    await page.locator('#typing-probe').pressSequentially('still here');
    expect(await page.locator('#typing-probe').inputValue()).toBe('still here');
    // The page answered while the worker had not finished: the run was still going.
    expect(await section(page, 'scale').getAttribute('data-state')).toBe('running');

    await waitForState(page, 'scale', 'done');
    const browserRun = JSON.parse((await section(page, 'scale').getAttribute('data-result'))!) as TrialOutcome;
    const fields = [...COMPARED_FIELDS, 'params'] as const;
    const pick = (row: TrialOutcome) => Object.fromEntries(fields.map((f) => [f, row[f as keyof TrialOutcome]]));
    // Bit-identical: the same code, seed and images on the same backend give the same numbers.
    const nodeRun = await reference;
    expect(pick(browserRun)).toEqual(pick(nodeRun));
    expect(browserRun.testAccuracy).toBe(nodeRun.testAccuracy);
    // And the committed row, once the committed file was made with the settings this page offers.
    const offer = (await (await fetch(`${baseUrl}/run/scale.json`)).json()) as { committed: { sameSettings: boolean; backend: string } };
    const match = await section(page, 'scale').getAttribute('data-match');
    if (offer.committed.sameSettings && offer.committed.backend === 'wasm') {
      expect(match).toBe('identical');
      expect(await section(page, 'scale').locator('.run-match').textContent()).toMatch(/^Your run matches ours/);
    } else {
      expect(match).toBe('none');
    }

    // Drawn on the chart as its own labelled series, and said in the text alternative.
    const figure = page.locator('figure.chart[data-chart="scale-learning-curves"]');
    await page.waitForSelector('figure.chart[data-chart="scale-learning-curves"][data-interactive="ready"]');
    await expect.poll(() => figure.locator('.chart-live svg').textContent(), { timeout: PATIENCE }).toContain('Your run');
    expect(await figure.locator('.chart-description').textContent()).toMatch(/Your run.*test accuracy/);
    expect(await section(page, 'scale').locator('.run-result').textContent()).toContain('Your run');
    // The address holds the configuration that ran.
    expect(new URL(page.url()).searchParams.get('model')).toBe(SMALL.model);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  it('cancels: the worker stops, and a second run works', async () => {
    const { context, page, problems } = await open(`${SCALE_PAGE}?run=scale&model=nn-medium&m=3000&seed=2`);
    const form = section(page, 'scale').locator('form');
    await form.locator('button.run-start').click();
    await page.waitForFunction(() => /^Training: epoch/.test(document.querySelector('#run-scale .run-status')?.textContent ?? ''), undefined, { timeout: PATIENCE });
    expect(page.workers().length).toBe(1);
    const closed = new Promise((resolve) => page.workers()[0]!.once('close', resolve));
    await form.locator('button.run-cancel').click();
    await waitForState(page, 'scale', 'idle');
    expect(await section(page, 'scale').locator('.run-status').textContent()).toMatch(/Cancelled/);
    // The worker itself is gone (terminated), not merely ignored.
    await closed;
    expect(page.workers().length).toBe(0);
    // The second run, a small one, goes to the end.
    await form.locator('select[name=model]').selectOption(SMALL.model);
    await form.locator('select[name=m]').selectOption(String(SMALL.m));
    await form.locator('button.run-start').click();
    await waitForState(page, 'scale', 'done');
    expect(JSON.parse((await section(page, 'scale').getAttribute('data-result'))!).testAccuracy).toBeGreaterThan(0.5);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);
});

// The compute chart's run (this device's CPU and GPU) is tested in your-hardware.test.ts.

describe('Run it yourself, activations chart', () => {
  it('trains a network for the committed epochs, draws its curve in its panel and matches the committed rows', async () => {
    const { context, page, problems } = await open('/lessons/sigmoid-to-relu/?run=activations&activation=relu&depth=2&rate=0.1&seed=1');
    const form = section(page, 'activations').locator('form');
    expect(await form.locator('select[name=activation]').inputValue()).toBe('relu');
    await form.locator('button.run-start').click();
    await page.waitForFunction(() => /^Epoch \d+: validation accuracy/.test(document.querySelector('#run-activations .run-status')?.textContent ?? ''), undefined, { timeout: PATIENCE });
    await waitForState(page, 'activations', 'done');
    const figure = page.locator('figure.chart[data-chart="activations-training"]');
    await expect.poll(() => figure.locator('.chart-live svg').textContent(), { timeout: PATIENCE }).toContain('Your run');
    expect(await figure.locator('.chart-description').textContent()).toMatch(/Your run.*2 hidden layers panel/);
    const offer = (await (await fetch(`${baseUrl}/run/activations.json`)).json()) as { committed: { sameSettings: boolean; backend: string } };
    if (offer.committed.sameSettings && offer.committed.backend === 'wasm') {
      // Every epoch's validation accuracy and the test accuracy, to the last digit.
      expect(await section(page, 'activations').locator('.run-match').textContent()).toMatch(/^Your run matches ours/);
    }
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);
});
