/**
 * "Your hardware, measured" (issue 21): on the compute chart, Run it yourself times this device on its
 * CPU (WebAssembly) and then on its GPU (WebGPU, else WebGL), and draws both beside our backends.
 *
 * Headless Chromium has no GPU here: it offers WebGL 2 on SwiftShader, and with --enable-unsafe-webgpu
 * a WebGPU adapter on SwiftShader too. Both are software renderers, so what these tests check is that
 * the GPU path trains, and that its result is labelled software and never reads as a GPU. Failures are
 * injected with the page's test hooks (src/run/ui.ts): --disable-webgl and --disable-3d-apis do not take
 * WebGL from a worker's OffscreenCanvas in this headless build, so "no GPU backend" is a hook too.
 * Measurements are short (a few steps, `run-test-steps`); nothing here is a timing claim.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser, watch } from './browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser(['--enable-unsafe-webgpu']);
const PAGE = '/lessons/faster-computation/';
const PATIENCE = 600_000;

interface Measured {
  backend: string;
  name: string;
  adapter: { name: string; software: boolean } | null;
  models: { model: string; warmupSeconds: number; params: number; steady: { samplesPerSecond: number; steps: number; windowSteps: number } }[];
}

async function open(query: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser().newContext({ viewport, colorScheme: 'light' });
  context.setDefaultTimeout(PATIENCE);
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${baseUrl}${PAGE}?run=compute&${query}`, { waitUntil: 'networkidle' });
  return { context, page, problems };
}

const section = (page: Page) => page.locator('#run-compute');

async function runToDone(page: Page): Promise<{ cpu: Measured; gpu?: Measured }> {
  await section(page).locator('button.run-start').click();
  await page.waitForSelector('#run-compute[data-state="done"]', { timeout: PATIENCE });
  return JSON.parse((await section(page).getAttribute('data-result'))!);
}

function expectSane(measured: Measured, models: number) {
  expect(measured.models).toHaveLength(models);
  for (const m of measured.models) {
    expect(Number.isFinite(m.steady.samplesPerSecond) && m.steady.samplesPerSecond > 0).toBe(true);
    expect(Number.isFinite(m.warmupSeconds) && m.warmupSeconds > 0).toBe(true);
    expect(m.steady.steps).toBeGreaterThan(0);
    expect(m.params).toBeGreaterThan(0);
  }
}

const figure = (page: Page) => page.locator('figure.chart[data-chart="compute-throughput"]');
const chartText = (page: Page) => figure(page).locator('.chart-live svg').textContent();

describe('Your hardware, measured', () => {
  it('WebGL beside WebAssembly, both models, on a phone in the dark theme: a software adapter, labelled so', async () => {
    const { context, page, problems } = await open('model=both&gpu=webgl&run-test-steps=4', { width: 360, height: 740 });
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    const result = await runToDone(page);
    expectSane(result.cpu, 2);
    expect(result.gpu?.backend).toBe('webgl');
    expectSane(result.gpu!, 2);
    expect(result.gpu!.adapter?.software).toBe(true);
    expect(result.gpu!.adapter?.name).toMatch(/SwiftShader/);
    expect(await section(page).getAttribute('data-gpu')).toBe('software');
    const text = await section(page).locator('.run-result').textContent();
    expect(text).toMatch(/software adapter \(WebGL, not a GPU\) trained the LeNet-style CNN (about )?[\d.,]+× (faster|slower) than your CPU/);
    expect(text).not.toMatch(/your GPU/i);
    expect(await section(page).locator('.run-ratio').count()).toBe(2);
    expect(await section(page).locator('.run-projection').count()).toBe(2);
    // Both bars on the chart, the software one never called a GPU.
    await expect.poll(() => chartText(page), { timeout: PATIENCE }).toContain('software adapter');
    expect(await chartText(page)).toContain('CPU');
    expect(await chartText(page)).not.toMatch(/This device: GPU/);
    expect(await figure(page).locator('.chart-description').textContent()).toMatch(/This device: software adapter \(WebGL, not a GPU\), LeNet-style CNN/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  it('WebGPU first where the browser has an adapter, named and marked software', async () => {
    const { context, page, problems } = await open('model=cnn&gpu=auto&run-test-steps=4');
    const result = await runToDone(page);
    expectSane(result.cpu, 1);
    expect(result.gpu?.backend).toBe('webgpu');
    expectSane(result.gpu!, 1);
    expect(result.gpu!.adapter?.software).toBe(true);
    expect(await section(page).locator('.run-adapter').textContent()).toMatch(/WebGPU adapter is software \(SwiftShader/);
    await expect.poll(() => chartText(page), { timeout: PATIENCE }).toContain('software adapter');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  it('without a GPU backend, the CPU result lands and the page says why', async () => {
    const { context, page, problems } = await open('model=mlp&gpu=auto&run-test-steps=4&run-test-gpu=none');
    const result = await runToDone(page);
    expectSane(result.cpu, 1);
    expect(result.gpu).toBeUndefined();
    expect(await section(page).getAttribute('data-gpu')).toBe('failed');
    expect(await section(page).locator('.run-status').textContent()).toMatch(/no WebGPU.*no WebGL.*Showing your CPU's result only/);
    await expect.poll(() => chartText(page), { timeout: PATIENCE }).toContain('This device: CPU');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  it('a backend that fails its first kernel falls back, and the page keeps responding', async () => {
    const { context, page, problems } = await open('model=mlp&gpu=webgl&run-test-steps=4&run-test-fail=webgl');
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'typing-probe';
      document.querySelector('#run-compute')!.append(input);
    });
    const result = await runToDone(page);
    expectSane(result.cpu, 1);
    expect(result.gpu).toBeUndefined();
    expect(await section(page).getAttribute('data-error')).toBe('kernel-failed');
    expect(await section(page).locator('.run-fallback').textContent()).toMatch(/WebGL backend failed its first computation/);
    await page.locator('#typing-probe').pressSequentially('still here');
    expect(await page.locator('#typing-probe').inputValue()).toBe('still here');
    await expect.poll(() => chartText(page), { timeout: PATIENCE }).toContain('This device: CPU');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [] });
    await context.close();
  }, PATIENCE);

  for (const backend of ['webgpu', 'webgl']) {
    it(`a ${backend} device lost mid-run: one sentence, the CPU result stays`, async () => {
      const { context, page, problems } = await open(`model=mlp&gpu=${backend}&run-test-steps=6&run-test-lose=${backend}:2`);
      const result = await runToDone(page);
      expectSane(result.cpu, 1);
      expect(result.gpu).toBeUndefined();
      expect(await section(page).getAttribute('data-error')).toBe('lost');
      expect(await section(page).locator('.run-fallback').textContent()).toMatch(/lost mid-run.*Showing your CPU's result only/);
      await expect.poll(() => chartText(page), { timeout: PATIENCE }).toContain('This device: CPU');
      // A second run works after a lost device (a fresh worker).
      await section(page).locator('select[name=gpu]').selectOption('none');
      await runToDone(page);
      expect(problems.failedRequests).toEqual([]);
      await context.close();
    }, PATIENCE);
  }
});
