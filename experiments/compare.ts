/**
 * What changed between two sets of result files, as a Markdown table of summary numbers:
 *   npm run compare -- OLD_DIR NEW_DIR
 * Used by the experiments workflow for its pull request and job summary.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResultText, type ResultFile } from './lib/schema.ts';

function load(dir: string): Map<string, ResultFile> {
  const files = new Map<string, ResultFile>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const result = parseResultText(readFileSync(join(dir, name), 'utf8'), join(dir, name));
    files.set(result.id, result);
  }
  return files;
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
  const [oldDir, newDir] = process.argv.slice(2);
  if (!oldDir || !newDir) {
    console.error('Usage: npm run compare -- OLD_DIR NEW_DIR');
    process.exit(2);
  }
  console.log(compareResults(load(oldDir), load(newDir)));
}
