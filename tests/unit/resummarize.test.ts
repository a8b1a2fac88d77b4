/** `npm run resummarize`: summaries recomputed from a result file's own rows, nothing else touched. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResultText } from '../../experiments/lib/schema.ts';
import { experiments, findExperiment } from '../../experiments/suite/index.ts';

const run = (args: string[]) => execFileSync('npx', ['tsx', 'experiments/resummarize.ts', ...args], { encoding: 'utf8', stdio: 'pipe' });

describe('resummarize', () => {
  it('restores a tampered summary from the rows and keeps rows and provenance as they were', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resummarize-'));
    copyFileSync('generated/history.json', join(dir, 'history.json'));
    const original = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'));
    const key = Object.keys(original.summary)[0]!;
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ ...original, summary: { ...original.summary, [key]: -12345 } }));
    expect(run(['history', '--dir', dir])).toMatch(/history\.json: \d+ summary values/);
    const after = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'));
    expect(after.summary).toEqual(original.summary);
    expect(after.rows).toEqual(original.rows);
    expect(after.provenance).toEqual(original.provenance);
  });

  it('names the file and exits non-zero when a result file is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resummarize-'));
    writeFileSync(join(dir, 'history.json'), '{"schemaVersion": 1, "id": "history"');
    expect(() => run(['history', '--dir', dir])).toThrow(/history\.json/);
  });
});

describe('the committed result files', () => {
  // A summary the current summary code would not give is stale: a lesson would quote it. This also runs
  // branches that only a full profile reaches, such as the compute experiment's projections.
  it.each(experiments.map((e) => e.id))('%s: its summary and notes are what its own rows give now', (id) => {
    const file = `generated/${id}.json`;
    const result = parseResultText(readFileSync(file, 'utf8'), file);
    const { summary, notes } = findExperiment(id)!.summarize(result.config, result.rows, result.timings);
    expect(summary).toEqual(result.summary);
    expect(notes).toEqual(result.notes);
  });
});
