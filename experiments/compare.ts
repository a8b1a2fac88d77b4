/**
 * What changed between two sets of result files, as a Markdown table of summary numbers:
 *   npm run compare -- OLD_DIR NEW_DIR [--limit N]
 * Used by the experiments workflow for its pull request and job summary.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createCli } from './cli.ts';
import { parseResultFile, type ResultFile } from './lib/schema.ts';

const usage = `Usage: npm run compare -- OLD_DIR NEW_DIR [--limit N]
  OLD_DIR, NEW_DIR  directories of result files (<id>.json), e.g. a copy of generated/ and generated/
  --limit           changed summary values listed per experiment (default 40)`;

/** Why a directory of result files cannot be compared: one line that names the path. */
export class CompareError extends Error {
  override name = 'CompareError';
}

/**
 * Reads every result file in `dir`. A missing directory, one without result files, or a file that is
 * unreadable, not JSON or not a valid result file is an error, never an empty set: an empty set would
 * turn a mistyped path into a table of everything new (or nothing changed).
 */
export function loadResults(dir: string): Map<string, ResultFile> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CompareError(`${dir} is not a directory of result files`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof CompareError) throw error;
    const { code } = error as NodeJS.ErrnoException;
    throw new CompareError(code === 'ENOENT' ? `${dir} does not exist` : `cannot read the directory ${dir} (${describe(error)})`);
  }
  // Shard files (<id>.shard-K-of-N.json) are inputs to a merge, not results.
  const files = names.filter((n) => n.endsWith('.json') && !/\.shard-\d+-of-\d+\.json$/.test(n)).sort();
  if (files.length === 0) throw new CompareError(`${dir} has no result files (<id>.json)`);
  const results = new Map<string, ResultFile>();
  for (const name of files) {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CompareError(`cannot read ${file} (${describe(error)})`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new CompareError(`${file} is not valid JSON (${(error as Error).message})`);
    }
    // Its message names the file and each bad field (several lines, which here help).
    const result = parseResultFile(data, file);
    const other = results.get(result.id);
    if (other) throw new CompareError(`${file} and another file in ${dir} both hold the results of "${result.id}"`);
    results.set(result.id, result);
  }
  return results;
}

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : code ?? message;
}

const format = (x: number | undefined) => (x === undefined ? '—' : Math.abs(x) >= 1000 || Number.isInteger(x) ? String(x) : x.toPrecision(4));

export function compareResults(before: Map<string, ResultFile>, after: Map<string, ResultFile>, limit = 40): string {
  const lines = ['## Rebuilt experiments', ''];
  for (const [id, next] of after) {
    const previous = before.get(id);
    const p = next.provenance;
    lines.push(`### ${id} — ${next.profile} profile, ${p.backend} backend, ${(p.durationSeconds / 60).toFixed(1)} min of compute`, '');
    const keys = [...new Set([...Object.keys(previous?.summary ?? {}), ...Object.keys(next.summary)])];
    const changed = keys.filter((k) => previous?.summary[k] !== next.summary[k]);
    if (changed.length === 0) {
      lines.push('No summary number changed.', '');
      continue;
    }
    lines.push('| summary value | before | after |', '| --- | ---: | ---: |');
    for (const key of changed.slice(0, limit)) lines.push(`| \`${key}\` | ${format(previous?.summary[key])} | ${format(next.summary[key])} |`);
    if (changed.length > limit) lines.push(`| … ${changed.length - limit} more | | |`);
    lines.push('');
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cli = createCli('compare', usage);
  const { values, positionals } = cli.parse({
    allowPositionals: true,
    options: { limit: { type: 'string', default: '40' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (positionals.length !== 2) cli.fail(`takes two directories, OLD_DIR and NEW_DIR, not ${positionals.length}`);
  const limit = cli.wholeNumber('--limit', values.limit);
  const [oldDir, newDir] = positionals as [string, string];
  try {
    console.log(compareResults(loadResults(oldDir), loadResults(newDir), limit));
  } catch (error) {
    console.error(`compare: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
