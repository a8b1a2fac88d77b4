/**
 * The site published under a sub-path (a GitHub Pages project site): every internal link and asset
 * must carry the base path and point at a file the build produced.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { astroEnv } from '../support/astro.ts';

const outDir = mkdtempSync(join(resolve('.cache'), 'base-path-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function htmlFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.html')).map((f) => join(dir, f));
}

describe('a build under BASE_PATH=/why-dl/', () => {
  it('prefixes every internal link, asset and fetched address with the base path, and each one exists', () => {
    const run = spawnSync('npx', ['astro', 'build', '--outDir', outDir], {
      encoding: 'utf8',
      env: astroEnv({ BASE_PATH: '/why-dl/' }),
    });
    expect(run.status, run.stderr).toBe(0);
    const problems: string[] = [];
    let checked = 0;
    for (const file of htmlFiles(outDir)) {
      const html = readFileSync(file, 'utf8');
      // Links, assets, and the addresses scripts fetch from data attributes (a chart's spec).
      for (const [, url] of html.matchAll(/(?:href|src|data-[\w-]+)="(\/[^"#?]*)/g)) {
        // The base path itself (data-base: what the Run-it-yourself script puts before its addresses).
        if (url!.startsWith('//') || url === '/why-dl') continue;
        checked++;
        if (!url!.startsWith('/why-dl/')) {
          problems.push(`${file}: ${url} lacks the base path`);
          continue;
        }
        const path = join(outDir, url!.slice('/why-dl/'.length));
        if (!existsSync(path) && !existsSync(join(path, 'index.html'))) problems.push(`${file}: ${url} does not exist in the build`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
