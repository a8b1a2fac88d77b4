// @ts-check
/**
 * `astro preview` (and `preview()` from astro, which the browser tests use) serving dist/ exactly as
 * Astro's own static preview server does (Vite's, gzipped as a static host sends it), with one guard
 * in front: a request whose path is malformed or tries to leave dist/ gets a plain 400.
 *
 * Without it, a path such as /..%2fpackage.json or /%c0%ae%c0%ae/etc/passwd made Astro's preview
 * middleware throw (Node's fileURLToPath refuses an encoded "/" and invalid UTF-8), and the answer was a
 * 500 whose body was the stack trace, with the checkout's absolute path.
 *
 * How: Astro runs its static server unless an adapter brings a preview entrypoint, and the server it
 * builds takes no Vite plugins from the project's config. So, for `preview` only (builds are untouched),
 * this integration names itself the adapter; its entrypoint (this module's default export) starts
 * Astro's own static preview server through the public `preview()`, with the adapter left out of that
 * inner start, then puts the guard in front of the server's request handler. Errors any later handler
 * raises are answered without their stack too.
 */
import { fileURLToPath } from 'node:url';

/** Set (on globalThis: the config and this entrypoint are loaded as different module instances) while
 * the entrypoint starts the inner server, so that its config does not pick this adapter again. */
const INNER = Symbol.for('why-deep-learning.guarded-preview.inner');

/** @returns {import('astro').AstroIntegration} */
export function guardedPreview() {
  /** @type {string | undefined} */
  let command;
  return {
    name: 'guarded-preview',
    hooks: {
      'astro:config:setup': (options) => {
        command = options.command;
      },
      'astro:config:done': ({ setAdapter }) => {
        if (command !== 'preview' || /** @type {Record<symbol, unknown>} */ (globalThis)[INNER]) return;
        setAdapter({
          name: 'guarded-preview',
          // An absolute path: Astro resolves it with require.resolve, which takes no file: URL.
          previewEntrypoint: fileURLToPath(import.meta.url),
          entrypointResolution: 'auto',
          adapterFeatures: { buildOutput: 'static' },
          // It serves what the build wrote (images included), so it supports what a static build does.
          supportedAstroFeatures: { staticOutput: 'stable', sharpImageService: 'stable' },
        });
      },
    },
  };
}

/**
 * Why a request target is refused, or undefined when it may be served. Only the path is judged (a
 * query is not a file name); every malformed or traversing form is refused, whatever its encoding.
 * @param {string | undefined} target the request line's target, as Node gives it (`req.url`)
 * @returns {string | undefined}
 */
export function refusal(target) {
  if (typeof target !== 'string' || !target.startsWith('/')) return 'not a path';
  const path = target.replace(/[?#].*$/s, '');
  // Raw: control characters, space, backslash, bytes beyond ASCII (browsers percent-encode them all).
  if (/[\x00-\x20\x7f-\uffff\\]/.test(path)) return 'a character that must be percent-encoded';
  if (/%(?![0-9a-f]{2})/i.test(path)) return 'a malformed percent-escape';
  // An encoded separator is a path separator in disguise.
  if (/%(?:2f|5c)/i.test(path)) return 'an encoded path separator';
  let decoded;
  try {
    // Rejects invalid UTF-8, overlong forms (%c0%ae) and encoded surrogates alike.
    decoded = decodeURIComponent(path);
  } catch {
    return 'invalid UTF-8';
  }
  if (/[\x00-\x1f\x7f\\]/.test(decoded)) return 'a control character or backslash';
  // Still percent-encoded after one decoding: double encoding (%252e%252e).
  if (decoded.includes('%')) return 'double encoding';
  if (decoded.split('/').some((segment) => segment === '.' || segment === '..')) return 'a dot segment';
  if (/\/\//.test(decoded)) return 'an empty path segment';
  return undefined;
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 */
function plain(res, status, text) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}

/**
 * Puts the guard in front of every 'request' handler of `server`, and answers any error those pass on
 * with a bare 500 (the error's message goes to this process's stderr, never to the client).
 * @param {import('node:http').Server} server
 */
export function guardServer(server) {
  const handlers = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (/** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
    if (refusal(req.url) !== undefined) return plain(res, 400, 'Bad Request');
    for (const handler of handlers) {
      // Vite's handler is a connect app: given a third argument, it hands errors (and requests nothing
      // answered) to it instead of its default handler, which prints the stack into the page.
      /** @type {Function} */ (handler).call(server, req, res, (/** @type {unknown} */ error) => {
        if (error) console.error(`preview: ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
        plain(res, error ? 500 : 404, error ? 'Internal Server Error' : 'Not Found');
      });
    }
  });
}

/**
 * The adapter's preview entrypoint: Astro's static preview server, guarded.
 * @type {import('astro').CreatePreviewServer}
 */
export default async function createPreviewServer({ root, outDir, base, host, port, headers, allowedHosts, open, logger }) {
  const { preview } = await import('astro');
  const flags = /** @type {Record<symbol, unknown>} */ (globalThis);
  flags[INNER] = true;
  let server;
  try {
    server = await preview({
      root: fileURLToPath(root),
      outDir: fileURLToPath(outDir),
      base,
      logLevel: /** @type {{ options?: { level?: import('astro').AstroInlineConfig['logLevel'] } }} */ (logger).options?.level,
      // Astro hands an adapter `host: true` (every interface) as undefined.
      server: { host: host ?? true, port, headers, allowedHosts, open },
    });
  } finally {
    delete flags[INNER];
  }
  const http = /** @type {{ server?: import('node:http').Server }} */ (server).server;
  if (!http) throw new Error('guarded-preview: Astro’s preview server did not expose its HTTP server; the guard cannot be installed');
  guardServer(http);
  return server;
}
