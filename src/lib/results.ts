/**
 * Reading result files at build time. Every file is validated against the same schema the runner
 * writes with, so a malformed or stale file stops the build with a message naming file and field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseResultText, ResultFileError, type ResultFile } from '../../experiments/lib/schema.ts';

/** RESULTS_DIR points the site at another set of results (tests use it for broken fixtures). */
export function resultsDirectory(): string {
  return resolve(process.env.RESULTS_DIR ?? 'generated');
}

const cache = new Map<string, ResultFile>();

export function loadResult(id: string): ResultFile {
  const path = join(resultsDirectory(), `${id}.json`);
  const cached = cache.get(path);
  if (cached) return cached;
  const shown = relative(process.cwd(), path);
  if (!existsSync(path)) {
    throw new ResultFileError(`${shown} does not exist.\nFix: run the experiment (npm run experiments -- ${id}).`);
  }
  const result = parseResultText(readFileSync(path, 'utf8'), shown);
  if (result.id !== id) {
    throw new ResultFileError(`${shown}: field id is "${result.id}" but the file name says "${id}".`);
  }
  cache.set(path, result);
  return result;
}

/** Ids of every result file present; each is published (and so validated) at build. */
export function listResultIds(): string[] {
  const dir = resultsDirectory();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}
