/**
 * Global setup for the browser tests: build the site as a reader gets it, then serve the build on
 * 127.0.0.1 with Astro's own preview server.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { preview } from 'astro';
import type { TestProject } from 'vitest/node';
import { astroEnv } from '../support/astro.ts';
import { findChromium } from './browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject) {
  // Once, before the test files run in parallel: fails early with what to install, and unpacks the
  // npm-provided Chromium (when that is the one) a single time rather than once per file at once.
  await findChromium();
  if (!process.env.SKIP_SITE_BUILD) {
    execFileSync('npx', ['astro', 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: astroEnv(),
    });
  }
  const port = await freePort();
  const server = await preview({ logLevel: 'error', server: { host: '127.0.0.1', port } });
  project.provide('baseUrl', `http://127.0.0.1:${port}`);
  return async () => {
    await server.stop();
  };
}
