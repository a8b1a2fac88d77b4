/**
 * Reading result files at build time. Every file is validated against the same schema the runner
 * writes with, every row against its experiment's row schema (experiments/lib/rows.ts), and its
 * summary and notes are derived again from its rows with the current summary code: a malformed,
 * stale, hand-edited or stray file stops the build with a message naming file and field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { summaryOf } from '../../experiments/lib/experiment.ts';
import { validateRows } from '../../experiments/lib/rows.ts';
import { parseResultText, ResultFileError, type ResultFile } from '../../experiments/lib/schema.ts';
import { experiments, findExperiment } from '../../experiments/suite/index.ts';

/** RESULTS_DIR points the site at another set of results (tests use it for broken fixtures). */
export function resultsDirectory(): string {
  return resolve(process.env.RESULTS_DIR ?? 'generated');
}

/** The path of a result file as messages show it (relative to the working directory). */
export function resultPath(id: string): string {
  return relative(process.cwd(), join(resultsDirectory(), `${id}.json`));
}

const cache = new Map<string, ResultFile>();

export function loadResult(id: string): ResultFile {
  const path = join(resultsDirectory(), `${id}.json`);
  const cached = cache.get(path);
  if (cached) return cached;
  const shown = relative(process.cwd(), path);
  refuseUnknown(id, shown);
  if (!existsSync(path)) {
    throw new ResultFileError(`${shown} does not exist.\nFix: run the experiment (npm run experiments -- ${id}).`);
  }
  const result = parseResultText(readFileSync(path, 'utf8'), shown);
  if (result.id !== id) {
    throw new ResultFileError(`${shown}: field id is "${result.id}" but the file name says "${id}".`);
  }
  validateRows(id, result.rows, shown);
  checkSummary(result, shown);
  cache.set(path, result);
  return result;
}

/** A file no experiment writes would be published as data nobody can reproduce. */
function refuseUnknown(id: string, shown: string): void {
  if (findExperiment(id)) return;
  throw new ResultFileError(
    `${shown}: no experiment has the id "${id}" (known: ${experiments.map((e) => e.id).join(', ')}). ` +
      'Fix: remove the file (a stray copy?), or add the experiment to experiments/suite/index.ts.',
  );
}

/** Differences shown in one message; the rest are counted. */
const SHOWN = 3;

function show(value: number | string | undefined): string {
  if (value === undefined) return 'absent';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
}

/**
 * The summary and notes must be what the current summary code gives from the file's own rows (as the
 * runner's assemble computes them, non-finite values dropped): otherwise a lesson quotes a number the
 * rows do not support, or one the summary code no longer computes.
 */
function checkSummary(result: ResultFile, shown: string): void {
  const derived = summaryOf(findExperiment(result.id)!, result.config, result.rows, result.timings);
  const summary = derived.summary;
  const keys = [...new Set([...Object.keys(result.summary), ...Object.keys(summary)])];
  const differences = keys
    .filter((key) => result.summary[key] !== summary[key])
    .map((key) => `summary["${key}"] ${show(result.summary[key])} → ${show(summary[key])}`);
  const notes = Math.max(result.notes.length, derived.notes.length);
  for (let i = 0; i < notes; i++) {
    if (result.notes[i] !== derived.notes[i]) differences.push(`notes[${i}] ${show(result.notes[i])} → ${show(derived.notes[i])}`);
  }
  if (!differences.length) return;
  const more = differences.length > SHOWN ? ` (and ${differences.length - SHOWN} more)` : '';
  throw new ResultFileError(
    `${shown}: its summary is not what its rows give with the current summary code: ${differences.slice(0, SHOWN).join('; ')}${more}. ` +
      `Fix: if the summary code changed, npm run resummarize -- ${result.id}; if the rows are wrong, re-run the experiment (npm run experiments -- ${result.id}).`,
  );
}

/** Ids of every result file present; each is published (and so validated) at build. A file no experiment writes is refused. */
export function listResultIds(): string[] {
  const dir = resultsDirectory();
  if (!existsSync(dir)) return [];
  const ids = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
  for (const id of ids) refuseUnknown(id, relative(process.cwd(), join(dir, `${id}.json`)));
  return ids;
}
