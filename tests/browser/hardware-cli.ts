/**
 * Prints what "Run it yourself" measures on the compute chart in this machine's headless Chromium, with
 * the full steady-state rule (no test hooks): WebAssembly against WebGL and against WebGPU, both models.
 *   npx astro build && npx tsx tests/browser/hardware-cli.ts
 * Here both GPU backends run on software adapters (SwiftShader): the figures say what they cost, not
 * what a GPU does.
 */
import { preview } from 'astro';
import { launch } from './browser.ts';

const port = 4331;
const server = await preview({ logLevel: 'error', server: { host: '127.0.0.1', port } });
const browser = await launch(['--enable-unsafe-webgpu']);
try {
  for (const gpu of ['webgl', 'webgpu']) {
    const page = await browser.newPage();
    const fetched: { url: string; bytes: number }[] = [];
    page.on('requestfinished', async (request) => {
      const sizes = await request.sizes().catch(() => undefined);
      if (sizes) fetched.push({ url: request.url().replace(`http://127.0.0.1:${port}`, ''), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
    });
    await page.goto(`http://127.0.0.1:${port}/lessons/faster-computation/?run=compute&model=both&gpu=${gpu}`, { waitUntil: 'networkidle' });
    const before = fetched.length;
    await page.locator('#run-compute button.run-start').click();
    await page.waitForSelector('#run-compute[data-state="done"]', { timeout: 900_000 });
    console.log(`\n## GPU backend ${gpu}\n`);
    console.log((await page.locator('#run-compute .run-status').textContent()) ?? '');
    for (const p of await page.locator('#run-compute .run-result p').allTextContents()) console.log(`- ${p}`);
    console.log('\nFetched on Run (bytes on the wire):');
    for (const r of fetched.slice(before)) console.log(`  ${String(r.bytes).padStart(9)}  ${r.url}`);
    console.log(JSON.stringify(JSON.parse((await page.locator('#run-compute').getAttribute('data-result'))!)));
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
