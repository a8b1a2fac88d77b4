import { readFileSync } from 'node:fs';

/**
 * Index of the first trial row (no `kind`) of a committed result file. Tests that tamper with "a row"
 * must pick a trial, not a position: v3 files start with tuning rows, whose fields differ.
 */
export function firstTrialRow(id: string, dir = 'generated'): number {
  const rows = JSON.parse(readFileSync(`${dir}/${id}.json`, 'utf8')).rows as { kind?: string }[];
  const index = rows.findIndex((row) => row.kind === undefined);
  if (index < 0) throw new Error(`${dir}/${id}.json has no trial row`);
  return index;
}
