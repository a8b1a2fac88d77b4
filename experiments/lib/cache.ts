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
import { validateRows } from './rows.ts';

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

/** The files a module loads by relative path: static and dynamic imports, not type-only ones (erased). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\b(?:import|export)\s+type\s[^;]*?\bfrom\s+['"][^'"]+['"]/g, '');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+\.ts)['"]/g)].map((match) => join(dirname(file), match[1]!));
}

/**
 * The files a unit's result depends on: the experiment's own module and every engine file it reaches
 * through imports, plus the backend (which registers the kernels every unit runs on) and what it
 * reaches. Not summary code (experiments/summaries): it runs on cached rows, so changing a summary
 * re-runs no training; and not engine files the experiment never loads (the runner, the row schemas,
 * another experiment's measurements), so a change there does not invalidate its cache or its shards.
 */
export function codeFiles(experimentId: string): string[] {
  const summaries = join(libDirectory, '..', 'summaries');
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || file.startsWith(summaries) || !existsSync(file)) return;
    seen.add(file);
    relativeImports(file).forEach(visit);
  };
  visit(join(suiteDirectory, `${experimentId}.ts`));
  visit(join(libDirectory, 'backend.ts'));
  return [...seen].sort();
}

/** Hash of the code a unit's result depends on (codeFiles) and the tfjs version. */
export function codeVersion(experimentId: string): string {
  return remember(`code:${experimentId}`, () =>
    sha256(tf.version_core, ...codeFiles(experimentId).flatMap((file) => [file.slice(libDirectory.length - 3), readFileSync(file)])),
  );
}

/** The MNIST files' bytes; an unreadable one (a directory, say) is named with its path. */
function dataFiles(dir: string): { name: string; bytes: Buffer }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('-ubyte')).sort();
  } catch (error) {
    throw new Error(`${dir}: the MNIST directory cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return names.map((name) => {
    const path = join(dir, name);
    try {
      return { name, bytes: readFileSync(path) };
    } catch (error) {
      throw new Error(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  });
}

/** Each MNIST file's SHA-256, by name: what a result's provenance records of its data. */
export function dataFileHashes(): Record<string, string> {
  return JSON.parse(
    remember(`files:${mnistDirectory()}`, () => JSON.stringify(Object.fromEntries(dataFiles(mnistDirectory()).map(({ name, bytes }) => [name, sha256(bytes)])))),
  ) as Record<string, string>;
}

/** Hash of the bytes of the MNIST files, the only data the experiments read. */
export function dataVersion(): string {
  const dir = mnistDirectory();
  return remember(`data:${dir}`, () => {
    return sha256(...dataFiles(dir).flatMap(({ name, bytes }) => [name, bytes]));
  });
}

/** Hash of an experiment's config at one profile: what a shard records and a merge checks. */
export function configVersion(config: unknown): string {
  return sha256(JSON.stringify(config));
}

export interface UnitIdentity {
  experiment: string;
  config: unknown;
  /** Config fields that only enumerate the units (Experiment.gridFields): not part of a unit's key. */
  gridFields?: readonly string[];
  unit: unknown;
  backend: string;
}

/**
 * A unit's cache key: its own description, the config less the fields that only enumerate the grid,
 * the code, the data and the backend. Adding a size or a seed therefore leaves every other unit's key.
 */
export function unitHash({ gridFields = [], ...identity }: UnitIdentity): string {
  const config = Object.fromEntries(Object.entries(identity.config as Record<string, unknown>).filter(([field]) => !gridFields.includes(field)));
  return sha256(
    JSON.stringify({
      ...identity,
      config,
      code: codeVersion(identity.experiment),
      data: dataVersion(),
    }),
  );
}

/** Why a cache entry was not used: it exists but cannot be trusted, so its unit runs again. */
export interface DamagedEntry {
  damaged: string;
}

/**
 * Whether the rows can belong to the unit: every plain field the unit and a row share (m, seed, width,
 * rate, activation…) has the same value, and a model object's name is the row's model.
 */
function disagreement(unit: Record<string, unknown>, rows: Record<string, unknown>[]): string | undefined {
  for (const [field, expected] of Object.entries(unit)) {
    if (field === 'key') continue;
    const wanted = typeof expected === 'object' && expected !== null && 'name' in expected ? (expected as { name: unknown }).name : expected;
    if (typeof wanted !== 'string' && typeof wanted !== 'number' && typeof wanted !== 'boolean') continue;
    const odd = rows.findIndex((row) => field in row && row[field] !== wanted);
    if (odd >= 0) return `rows[${odd}].${field} is ${JSON.stringify(rows[odd]![field])}, the unit's is ${JSON.stringify(wanted)}`;
  }
  return undefined;
}

export class UnitCache {
  constructor(private readonly directory: string) {}

  private path(experiment: string, hash: string): string {
    return join(this.directory, experiment, `${hash}.json`);
  }

  /** The cache's directory, for messages. */
  describe(): string {
    return `the unit cache ${this.directory}`;
  }

  /**
   * A cached result; undefined when there is none; `{ damaged }` when an entry exists but is not the
   * one written for this unit (truncated, edited, emptied, another unit's rows, malformed rows): the
   * caller re-runs the unit and says so. The checksum covers the result exactly as it was written.
   */
  get(experiment: string, hash: string, unit: { key: string } & Record<string, unknown>): UnitResult | DamagedEntry | undefined {
    const path = this.path(experiment, hash);
    if (!existsSync(path)) return undefined;
    let entry: { hash?: unknown; key?: unknown; checksum?: unknown; result?: UnitResult };
    try {
      entry = JSON.parse(readFileSync(path, 'utf8')) as typeof entry;
    } catch (error) {
      return { damaged: `${path} is not valid JSON (${(error as Error).message})` };
    }
    const result = entry.result;
    if (entry.hash !== hash || entry.key !== unit.key) return { damaged: `${path} was written for another unit` };
    if (!result || !Array.isArray(result.rows) || !Array.isArray(result.timings)) return { damaged: `${path} has no rows and timings` };
    if (entry.checksum !== checksum(result)) return { damaged: `${path}: its content does not match its checksum (edited or damaged)` };
    if (result.rows.length === 0) return { damaged: `${path} has no rows` };
    try {
      validateRows(experiment, result.rows, path);
    } catch (error) {
      return { damaged: (error as Error).message.split('\n')[0]! };
    }
    const odd = disagreement(unit, result.rows as Record<string, unknown>[]);
    if (odd) return { damaged: `${path}: ${odd}` };
    return result;
  }

  set(experiment: string, hash: string, key: string, result: UnitResult): void {
    const path = this.path(experiment, hash);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ hash, key, checksum: checksum(result), result }));
    renameSync(temporary, path);
  }
}

/** SHA-256 of a unit's result as JSON: JSON.stringify of what JSON.parse gave back is the same text. */
function checksum(result: UnitResult): string {
  return sha256(JSON.stringify(result));
}
