/**
 * What the build says and writes with and without the published address (SITE_URL): a warning must
 * always mean something, so the build's own known causes of warnings are gone (Starlight's i18n
 * collection, deprecated markdown options, the sitemap without `site`); math is still typeset at build
 * time; the published build has a sitemap of absolute URLs, a local one none (and no wrong URLs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astroEnv } from '../support/astro.ts';

mkdirSync(resolve('.cache'), { recursive: true });
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function build(env: Record<string, string>): { outDir: string; output: string } {
  const outDir = mkdtempSync(join(resolve('.cache'), 'site-address-'));
  dirs.push(outDir);
  const run = spawnSync('npx', ['astro', 'build', '--outDir', outDir], {
    encoding: 'utf8',
    env: astroEnv({ NO_COLOR: '1', FORCE_COLOR: '0', ...env }),
  });
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.status, output).toBe(0);
  return { outDir, output };
}

const BUILD_TIMEOUT = 300_000;

describe('a local build (no SITE_URL)', () => {
  let outDir = '';
  let output = '';
  beforeAll(() => {
    ({ outDir, output } = build({ SITE_URL: '' }));
  }, BUILD_TIMEOUT);

  it('has none of the warnings whose cause is ours to fix', () => {
    expect(output).not.toMatch(/The collection "i18n" does not exist/);
    expect(output).not.toMatch(/starlight-i18n-loader.*does not exist/);
    expect(output).not.toMatch(/markdown\.remarkPlugins.*deprecated/);
    expect(output).not.toMatch(/\[WARN\] \[@astrojs\/sitemap\]/);
  });

  it('writes no sitemap and no absolute URL of its own, and says so in one plain line', () => {
    expect(existsSync(join(outDir, 'sitemap-index.xml'))).toBe(false);
    expect(output).toMatch(/no sitemap: SITE_URL is not set/);
    const html = readFileSync(join(outDir, 'lessons/role-of-scale/index.html'), 'utf8');
    expect(html).not.toMatch(/rel="canonical"|rel="sitemap"/);
  });

  it('still typesets the math at build time, to MathML alone (no KaTeX stylesheet or fonts to load)', () => {
    const html = readFileSync(join(outDir, 'lessons/sigmoid-to-relu/index.html'), 'utf8');
    expect(html).toMatch(/<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML" display="block">/);
    expect(html).toMatch(/<annotation encoding="application\/x-tex">/);
    expect(html).not.toMatch(/katex[^"]*\.css|KaTeX_/);
  });
});

describe('the published build (SITE_URL and BASE_PATH as the pages workflow sets them)', () => {
  let outDir = '';
  let output = '';
  beforeAll(() => {
    ({ outDir, output } = build({ SITE_URL: 'https://owner.github.io', BASE_PATH: '/why-dl/' }));
  }, BUILD_TIMEOUT);

  it('writes a sitemap of absolute URLs under the base path, and canonical links', () => {
    expect(output).not.toMatch(/\[WARN\] \[@astrojs\/sitemap\]/);
    expect(readFileSync(join(outDir, 'sitemap-index.xml'), 'utf8')).toContain('<loc>https://owner.github.io/why-dl/sitemap-0.xml</loc>');
    const urls = [...readFileSync(join(outDir, 'sitemap-0.xml'), 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(urls).toContain('https://owner.github.io/why-dl/lessons/role-of-scale/');
    expect(urls.every((url) => url!.startsWith('https://owner.github.io/why-dl/'))).toBe(true);
    const html = readFileSync(join(outDir, 'lessons/role-of-scale/index.html'), 'utf8');
    expect(html).toContain('<link rel="canonical" href="https://owner.github.io/why-dl/lessons/role-of-scale/"/>');
  });
});
