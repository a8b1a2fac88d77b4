/**
 * Prints the weight of every page of the built site (dist/), served locally and gzipped:
 *   npm run weigh                 a table: bytes before interaction (fonts apart), budget, requests
 *   npm run weigh -- --resources  and, under it, each page's resources, largest first
 */
import { preview } from 'astro';
import { launch } from './browser.ts';
import { sitePages } from './pages.ts';
import { budgetFor, weigh } from './weigh.ts';

const showResources = process.argv.includes('--resources');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const port = 4329;
const server = await preview({ logLevel: 'error', server: { host: '127.0.0.1', port } });
const browser = await launch();
try {
  const rows = [];
  for (const url of await sitePages(browser, `http://127.0.0.1:${port}`)) rows.push(await weigh(browser, url));
  console.log('| page | before interaction (no fonts) | budget | fonts | requests | charts | chart scripts loaded |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const over = r.bytes > budgetFor(r.path) ? ' **over**' : '';
    console.log(`| ${r.path} | ${kb(r.bytes)}${over} | ${kb(budgetFor(r.path))} | ${kb(r.fontBytes)} | ${r.requests} | ${r.charts} | ${r.chartScripts} |`);
  }
  if (showResources) {
    for (const r of rows) {
      console.log(`\n${r.path}`);
      for (const resource of [...r.resources].sort((a, b) => b.bytes - a.bytes)) {
        console.log(`  ${kb(resource.bytes).padStart(9)}  ${resource.type.padEnd(10)} ${resource.url.replace(`http://127.0.0.1:${port}`, '').slice(0, 100)}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
