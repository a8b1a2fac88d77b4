/** Which Chromium the browser tests drive, and what a machine without one is told to do. */
import { describe, expect, it } from 'vitest';
import { findChromium, launch } from './browser.ts';

describe('finding a Chromium', () => {
  it('launches the one it finds (CHROMIUM_PATH, /usr/bin/chromium or the one npm ci brought)', async () => {
    const choice = await findChromium();
    const browser = await launch();
    try {
      expect(browser.version()).toMatch(/^\d+\./);
      console.info(`browser tests use Chromium ${browser.version()} (${choice.source}: ${choice.executablePath})`);
    } finally {
      await browser.close();
    }
  });

  it('names CHROMIUM_PATH when it points at nothing', async () => {
    await expect(findChromium({ env: { CHROMIUM_PATH: '/nonexistent/chromium' } })).rejects.toThrow(
      'CHROMIUM_PATH is /nonexistent/chromium, but there is no file there: point it at a Chromium executable',
    );
  });

  it('says how to get a browser when there is neither a system one nor the npm package', async () => {
    const notInstalled: string = '@sparticuz/not-installed-here';
    const attempt = findChromium({
      env: {},
      systemPath: '/nonexistent/chromium',
      loadPackaged: () => import(/* @vite-ignore */ notInstalled),
    });
    await expect(attempt).rejects.toThrow(/\/nonexistent\/chromium does not exist and the @sparticuz\/chromium package is not installed/);
    await expect(attempt).rejects.toThrow(/apt-get install chromium.*npm ci.*CHROMIUM_PATH/);
  });
});
