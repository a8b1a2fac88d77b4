/**
 * Lighthouse (mobile, its default simulated slow 4G and 4x CPU slowdown) over every page of the built
 * site (dist/), served gzipped by `astro preview`, with the Chromium the browser tests use:
 *   npm run lighthouse                 one run per page
 *   npm run lighthouse -- --runs 3     the median performance score of three runs per page
 * Lighthouse comes from the npm registry through npx on first use (it is large and only this needs it).
 * Scores depend on the machine's load: run it on a quiet machine; it is a report, not a test.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { preview } from 'astro';
import { findChromium, launch } from './browser.ts';
import { sitePages } from './pages.ts';

const LIGHTHOUSE = 'lighthouse@13.5.0';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

interface Report {
  categories: Record<(typeof CATEGORIES)[number], { score: number; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; displayValue?: string }>;
}

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of runs per page, not "${process.argv[runsArg + 1]}".`);

const port = 4330;
const base = `http://127.0.0.1:${port}`;
const { executablePath } = await findChromium();
const server = await preview({ logLevel: 'error', server: { host: '127.0.0.1', port } });
const out = await mkdtemp(join(tmpdir(), 'lighthouse-'));

async function audit(url: string, run: number): Promise<Report> {
  const output = join(out, `${run}-${encodeURIComponent(url)}.json`);
  await promisify(execFile)(
    'npx',
    ['--yes', LIGHTHOUSE, url, '--quiet', '--output=json', `--output-path=${output}`, `--only-categories=${CATEGORIES.join(',')}`, '--chrome-flags=--headless=new --no-sandbox --disable-gpu'],
    { env: { ...process.env, CHROME_PATH: executablePath }, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(await readFile(output, 'utf8')) as Report;
}

const score = (report: Report, category: (typeof CATEGORIES)[number]) => Math.round(report.categories[category].score * 100);

/** Audits that cost points outside performance, so that a score under 100 says why. */
function failing(report: Report): string[] {
  return CATEGORIES.filter((c) => c !== 'performance')
    .flatMap((c) => report.categories[c].auditRefs.filter((ref) => ref.weight > 0 && (report.audits[ref.id]?.score ?? 1) < 1))
    .map((ref) => ref.id);
}

try {
  const browser = await launch();
  const pages = await sitePages(browser, base).finally(() => browser.close());
  console.log(`| page | performance${runs > 1 ? ` (median of ${runs})` : ''} | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | audits under 100 |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const url of pages) {
    const reports: Report[] = [];
    for (let run = 0; run < runs; run++) reports.push(await audit(url, run));
    reports.sort((a, b) => score(a, 'performance') - score(b, 'performance'));
    const median = reports[Math.floor(reports.length / 2)]!;
    const metric = (id: string) => median.audits[id]?.displayValue ?? '';
    console.log(
      `| ${url.replace(base, '')} | ${score(median, 'performance')} | ${score(median, 'accessibility')} | ${score(median, 'best-practices')} | ${score(median, 'seo')} | ` +
        `${metric('first-contentful-paint')} | ${metric('largest-contentful-paint')} | ${metric('total-blocking-time')} | ${metric('cumulative-layout-shift')} | ${failing(median).join(' ')} |`,
    );
  }
} finally {
  await server.stop();
  await rm(out, { recursive: true, force: true });
}
