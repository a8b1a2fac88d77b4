/** `npm run resummarize`: summaries recomputed from a result file's own rows, nothing else touched. */
import { execFileSync, spawnSync } from 'node:child_process';
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

  it('refuses a row with a null cell instead of summarising the seeds that are left, and leaves the file alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resummarize-'));
    const data = JSON.parse(readFileSync('generated/model-size.json', 'utf8'));
    // The third trial row (v3 files put their tuning rows first).
    const index = data.rows.map((row: { kind?: string }, i: number) => (row.kind === undefined ? i : -1)).filter((i: number) => i >= 0)[2];
    data.rows[index].testAccuracy = null;
    const text = JSON.stringify(data);
    writeFileSync(join(dir, 'model-size.json'), text);
    const run2 = spawnSync('npx', ['tsx', 'experiments/resummarize.ts', 'model-size', '--dir', dir], { encoding: 'utf8' });
    expect(run2.status).toBe(1);
    expect(run2.stderr).toContain(`model-size.json: rows[${index}] field testAccuracy is null, but the trial did not diverge`);
    expect(readFileSync(join(dir, 'model-size.json'), 'utf8')).toBe(text);
  });

  it.each([
    [['--bogus'], /^resummarize: unknown option "--bogus"$/],
    [['--dir'], /^resummarize: --dir needs a value$/],
    [['scal'], /^resummarize: no experiment "scal" \(known: scale, small-data, .*\)$/],
  ])('refuses the arguments %j with one line naming the flag, then the usage (exit 2)', (args, message) => {
    const result = spawnSync('npx', ['tsx', 'experiments/resummarize.ts', ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    const [first, blank, usage] = result.stderr.split('\n');
    expect(first).toMatch(message);
    expect(blank).toBe('');
    expect(usage).toMatch(/^Usage: npm run resummarize/);
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
