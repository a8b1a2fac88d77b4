/**
 * `npm run preview` (Astro's preview server, guarded by src/integrations/guarded-preview.mjs): every
 * malformed or traversing path gets a 400 or 404 with no stack trace and no path of this machine in
 * it; pages and assets are served as before, gzipped. The server is the real one (`astro preview`, with
 * this project's config), over a small stand-in for dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../src/integrations/guarded-preview.mjs';
import { astroEnv } from '../support/astro.ts';

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends the request target exactly as given (no client normalises or re-encodes it). */
function get(port: number, target: string, encoding = 'identity'): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, split).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(head.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      let body: Buffer = raw.subarray(split + 4);
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      resolveAnswer({ status: Number(head[0]!.split(' ')[1]), headers, body });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/html,*/*\r\nAccept-Encoding: ${encoding}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

const text = (answer: Answer) => (answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body).toString('utf8');

const NASTY = [
  // encoded separators and dots
  '/..%2fpackage.json',
  '/..%2Fpackage.json',
  '/%2e%2e%2fpackage.json',
  '/%2e%2e/package.json',
  '/%2E%2E/%2E%2E/etc/passwd',
  '/..%5cpackage.json',
  '/%5c..%5c..%5cpackage.json',
  '/lessons/..%2f..%2fpackage.json',
  // overlong and otherwise invalid UTF-8
  '/%c0%ae%c0%ae/etc/passwd',
  '/%c0%ae%c0%ae%c0%afetc%c0%afpasswd',
  '/%e0%80%ae%e0%80%ae/package.json',
  '/%c0%2e%c0%2e/package.json',
  '/%ed%a0%80',
  '/%ff%fe',
  // malformed escapes
  '/%',
  '/%zz',
  '/abc%2',
  // NUL and other control characters
  '/%00',
  '/index.html%00.js',
  '/lessons%0a/',
  '/%7f',
  // backslashes, raw
  '/..\\package.json',
  '/\\..\\..\\package.json',
  // double (and triple) encoding
  '/%252e%252e/package.json',
  '/%252e%252e%252fpackage.json',
  '/%25c0%25ae%25c0%25ae/etc/passwd',
  '/%25252e%25252e/package.json',
  // raw dot segments (no browser sends these) and doubled slashes
  '/../package.json',
  '/../../../etc/passwd',
  '/./index.html',
  '/lessons/../../package.json',
  '//etc/passwd',
  // not a path at all
  '*',
  'http://127.0.0.1/..%2fpackage.json',
];

describe('which request paths the guard refuses', () => {
  it.each(NASTY)('%s is refused', (target) => expect(refusal(target)).toBeDefined());
  it.each(['/', '/index.html', '/lessons/role-of-scale/', '/_astro/page.Bx9_-k.js', '/pagefind/pagefind-entry.json', '/run/mnist/train-0.bin', '/charts/scale-learning-curves.json', '/?q=%c0', '/a%20b.html', '/caf%C3%A9/'])(
    '%s is allowed',
    (target) => expect(refusal(target)).toBeUndefined(),
  );
});

describe('npm run preview against nasty paths', () => {
  const root = resolve('.');
  let dist = '';
  let port = 0;
  let server: ChildProcess | undefined;
  const script = `console.log(${JSON.stringify('x'.repeat(20_000))});\n`;

  beforeAll(async () => {
    mkdirSync(join(root, '.cache'), { recursive: true });
    dist = mkdtempSync(join(root, '.cache', 'preview-guard-'));
    const page = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body>${'<p>text</p>'.repeat(300)}</body></html>`;
    writeFileSync(join(dist, 'index.html'), page('home'));
    writeFileSync(join(dist, '404.html'), page('not found'));
    mkdirSync(join(dist, 'lessons/one'), { recursive: true });
    writeFileSync(join(dist, 'lessons/one/index.html'), page('lesson one'));
    mkdirSync(join(dist, '_astro'));
    writeFileSync(join(dist, '_astro/app.js'), script);
    port = await freePort();
    // As `npm run preview` runs it, with this project's config, on a stand-in dist/.
    server = spawn('node_modules/.bin/astro', ['preview', '--host', '127.0.0.1', '--port', String(port), '--outDir', dist], {
      env: astroEnv({ NO_COLOR: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((ready, fail) => {
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes(`127.0.0.1:${port}`)) ready();
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.on('exit', (code) => fail(new Error(`astro preview exited with ${code}:\n${output}`)));
    });
  }, 120_000);

  afterAll(() => {
    server?.kill();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it.each(NASTY)('%s: 400 or 404, no stack trace, no path of this machine', async (target) => {
    for (const encoding of ['identity', 'gzip']) {
      const answer = await get(port, target, encoding);
      expect([400, 404]).toContain(answer.status);
      const body = text(answer);
      expect(body).not.toContain(root);
      expect(body).not.toMatch(/\bat .*[(:]\d+|file:\/\/|node:internal|Error\b/);
    }
  });

  it('serves pages and assets as before: 200, gzipped when asked, and the 404 page for what is missing', async () => {
    const home = await get(port, '/', 'gzip');
    expect(home.status).toBe(200);
    expect(home.headers['content-encoding']).toBe('gzip');
    expect(text(home)).toContain('<title>home</title>');

    const lesson = await get(port, '/lessons/one/', 'gzip');
    expect(lesson.status).toBe(200);
    expect(text(lesson)).toContain('<title>lesson one</title>');

    const asset = await get(port, '/_astro/app.js', 'gzip');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.body.length).toBeLessThan(script.length / 10);
    expect(text(asset)).toBe(script);

    const plainAsset = await get(port, '/_astro/app.js', 'identity');
    expect(plainAsset.headers['content-encoding']).toBeUndefined();
    expect(text(plainAsset)).toBe(script);

    const missing = await get(port, '/lessons/none/', 'gzip');
    expect(missing.status).toBe(404);
    expect(text(missing)).toContain('<title>not found</title>');
  });
});
