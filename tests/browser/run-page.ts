/** Opening a lesson for the Run-it-yourself tests: a fresh context, its problems watched, its requests kept. */
import type { Browser } from 'playwright-core';
import { watch } from './browser.ts';

/** Requests that belong to a run: the runner, the worker, the wasm binaries, the offers and the MNIST packs. */
export const RUN_REQUEST = /\/run\/|\.wasm$|worker|ui\.[\w-]+\.js$/;

export async function openRunPage(
  browser: Browser,
  url: string,
  { viewport = { width: 1280, height: 800 }, dark = false, timeout }: { viewport?: { width: number; height: number }; dark?: boolean; timeout: number },
) {
  const context = await browser.newContext({ viewport, colorScheme: dark ? 'dark' : 'light' });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  const problems = watch(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: 'networkidle' });
  if (dark) await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  return { context, page, problems, requests };
}
