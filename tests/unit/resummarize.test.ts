/** `npm run resummarize`: summaries recomputed from a result file's own rows, nothing else touched. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
