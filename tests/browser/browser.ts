/**
 * Chromium driven by playwright-core (no browser download, works offline). Which Chromium, first found:
 *   1. CHROMIUM_PATH, when set (an error if nothing is there);
 *   2. the system's: /usr/bin/chromium (Debian: apt-get install chromium);
 *   3. the headless Chromium that `npm ci` brings inside the @sparticuz/chromium package, unpacked to
 *      /tmp on first use.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for messages. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

const LAMBDA_ONLY_FLAGS = ['--single-process', '--disable-web-security', '--allow-running-insecure-content'];

const HOW_TO_GET_ONE =
  'Install one: `apt-get install chromium` (Debian/Ubuntu), or run `npm ci` on Linux x64 to get the ' +
  'headless Chromium of the @sparticuz/chromium devDependency, or set CHROMIUM_PATH to a Chromium or Chrome executable.';

/** What findChromium looks at; tests replace them to reach each branch. */
export interface ChromiumSources {
  env?: NodeJS.ProcessEnv;
  systemPath?: string;
  /** Loads @sparticuz/chromium (or throws when it is not installed). */
  loadPackaged?: () => Promise<{ args: string[]; executablePath(): Promise<string> }>;
}

export async function findChromium({
  env = process.env,
  systemPath = SYSTEM_CHROMIUM,
  loadPackaged = async () => (await import('@sparticuz/chromium')).default,
}: ChromiumSources = {}): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) {
      throw new Error(`CHROMIUM_PATH is ${env.CHROMIUM_PATH}, but there is no file there: point it at a Chromium executable, or unset it to use ${systemPath} or the Chromium that npm ci brings.`);
    }
    return { executablePath: env.CHROMIUM_PATH, args: ['--headless', ...FLAGS], source: 'CHROMIUM_PATH' };
  }
  if (existsSync(systemPath)) return { executablePath: systemPath, args: ['--headless', ...FLAGS], source: 'system' };
  let packaged: Awaited<ReturnType<typeof loadPackaged>>;
  try {
    packaged = await loadPackaged();
  } catch (error) {
    throw new Error(`No Chromium for the browser tests: ${systemPath} does not exist and the @sparticuz/chromium package is not installed (${(error as Error).message}). ${HOW_TO_GET_ONE}`);
  }
  let executablePath: string;
  try {
    executablePath = await packaged.executablePath();
  } catch (error) {
    throw new Error(`No Chromium for the browser tests: ${systemPath} does not exist and @sparticuz/chromium could not unpack its browser (${(error as Error).message}). ${HOW_TO_GET_ONE}`);
  }
  // Its own flags (headless shell, no sandbox), less those meant for AWS Lambda that change what a
  // page may do (web security off) or break a second browser context (--single-process).
  const args = packaged.args.filter((flag) => !LAMBDA_ONLY_FLAGS.includes(flag));
  return { executablePath, args: [...args, ...FLAGS], source: '@sparticuz/chromium' };
}

/** `extraArgs`: flags one test file needs on top of the usual ones (e.g. --enable-unsafe-webgpu). */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  const { executablePath, args, source } = await findChromium();
  try {
    return await chromium.launch({ executablePath, args: [...args, ...extraArgs] });
  } catch (error) {
    throw new Error(`Chromium (${source}, ${executablePath}) did not start: ${(error as Error).message.split('\n')[0]}. ${HOW_TO_GET_ONE}`);
  }
}

export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
}

/** Records console errors, uncaught exceptions and failed or non-2xx/3xx requests on a page. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [] };
  page.on('console', (message) => {
    // With the page and the resource, so that a failure says where to look.
    if (message.type() === 'error') problems.consoleErrors.push(`${page.url()}: ${message.text()} ${message.location().url ?? ''}`.trim());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(String(error)));
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()} (HTTP ${response.status()})`);
  });
  return problems;
}

/**
 * One Chromium for a test file (with `extraArgs` added to its flags): launched before its tests, closed after. Returns a getter, since the
 * browser exists only once beforeAll has run.
 */
export function useBrowser(extraArgs: string[] = []): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch(extraArgs);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser(): the browser is available only inside tests and hooks.');
    return browser;
  };
}
