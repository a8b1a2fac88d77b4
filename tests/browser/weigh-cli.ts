/** Prints the weight of every page of the built site (dist/), served locally: `npm run weigh`. */
import { preview } from 'astro';
import { launch } from './browser.ts';
import { sitePages } from './pages.ts';
import { weigh } from './weigh.ts';

const port = 4329;
const server = await preview({ logLevel: 'error', server: { host: '127.0.0.1', port } });
const browser = await launch();
try {
  const rows = [];
  for (const url of await sitePages(browser, `http://127.0.0.1:${port}`)) rows.push(await weigh(browser, url));
  console.log('| page | transferred before interaction | requests | charts | chart scripts loaded |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.path} | ${(r.bytes / 1024).toFixed(1)} KB | ${r.requests} | ${r.charts} | ${r.chartScripts} |`);
} finally {
  await browser.close();
  await server.stop();
}
