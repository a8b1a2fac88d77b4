/**
 * The unit cache: each finished unit's rows are kept under a key that hashes everything that can
 * change them — the experiment's config, the unit, the code of the experiment and of the engine, the
 * data it reads and the backend. Never file times: CI caches lose them, and a loader that did not
 * change can still read changed data (the stale-data trap of observablehq/framework#1148).
 * An interrupted run resumes from here; `--force` ignores it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { UnitResult } from './experiment.ts';
import { mnistDirectory } from './mnist.ts';

const libDirectory = dirname(fileURLToPath(import.meta.url));
const suiteDirectory = join(libDirectory, '..', 'suite');

function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

const memo = new Map<string, string>();
function remember(key: string, compute: () => string): string {
  let value = memo.get(key);
  if (value === undefined) memo.set(key, (value = compute()));
  return value;
}

/**
 * The files a unit's result depends on: the engine (every file in experiments/lib) and the
 * experiment's own module. Summary code (experiments/summaries) is deliberately not among them: it
 * runs on cached rows, so changing a summary re-runs no training.
 */
export function codeFiles(experimentId: string): string[] {
  const files = readdirSync(libDirectory)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(libDirectory, name));
  files.push(join(suiteDirectory, `${experimentId}.ts`));
  return files;
}

/** Hash of the code a unit's result depends on (codeFiles) and the tfjs version. */
export function codeVersion(experimentId: string): string {
  return remember(`code:${experimentId}`, () =>
    sha256(tf.version_core, ...codeFiles(experimentId).flatMap((file) => [file.slice(libDirectory.length - 3), readFileSync(file)])),
  );
}

/** Hash of the bytes of the MNIST files, the only data the experiments read. */
export function dataVersion(): string {
  return remember('data:mnist', () => {
    const dir = mnistDirectory();
    const names = readdirSync(dir).filter((name) => name.endsWith('-ubyte')).sort();
    return sha256(...names.flatMap((name) => [name, readFileSync(join(dir, name))]));
  });
}

export interface UnitIdentity {
  experiment: string;
  config: unknown;
  unit: unknown;
  backend: string;
}

export function unitHash(identity: UnitIdentity): string {
  return sha256(
    JSON.stringify({
      ...identity,
      code: codeVersion(identity.experiment),
      data: dataVersion(),
    }),
  );
}

export class UnitCache {
  constructor(private readonly directory: string) {}

  private path(experiment: string, hash: string): string {
    return join(this.directory, experiment, `${hash}.json`);
  }

  /** A cached result, or undefined when absent or unreadable (a damaged entry is simply re-run). */
  get(experiment: string, hash: string): UnitResult | undefined {
    const path = this.path(experiment, hash);
    if (!existsSync(path)) return undefined;
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as { hash: string; result: UnitResult };
      return entry.hash === hash && Array.isArray(entry.result?.rows) ? entry.result : undefined;
    } catch {
      return undefined;
    }
  }

  set(experiment: string, hash: string, key: string, result: UnitResult): void {
    const path = this.path(experiment, hash);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ hash, key, result }));
    renameSync(temporary, path);
  }
}
