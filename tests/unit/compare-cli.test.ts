/**
 * `npm run compare`: its Markdown feeds the experiments workflow's pull request, so a path that holds no
 * results is an error naming the path (exit 1), never an empty or everything-new table; a wrong flag is
 * one line and the usage (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function compare(args: string[]) {
  const run = spawnSync('node_modules/.bin/tsx', ['experiments/compare.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'compare-cli-'));
const empty = join(dir, 'empty');
const onlyShards = join(dir, 'shards');
const badJson = join(dir, 'bad-json');
const badShape = join(dir, 'bad-shape');
const good = join(dir, 'good');
for (const d of [empty, onlyShards, badJson, badShape, good]) mkdirSync(d);
writeFileSync(join(empty, 'notes.txt'), 'not a result file\n');
writeFileSync(join(onlyShards, 'history.shard-1-of-2.json'), '{}');
copyFileSync('generated/history.json', join(badJson, 'history.json'));
writeFileSync(join(badJson, 'scale.json'), '{"schemaVersion": 1, "id": "scale"');
writeFileSync(join(badShape, 'scale.json'), '{"schemaVersion": 1, "id": "scale"}');
copyFileSync('generated/history.json', join(good, 'history.json'));

describe('compare: directories', () => {
  it.each([
    ['a mistyped OLD_DIR', [join(dir, 'generatd'), 'generated'], `compare: ${join(dir, 'generatd')} does not exist`],
    ['a mistyped NEW_DIR', ['generated', join(dir, 'generatd')], `compare: ${join(dir, 'generatd')} does not exist`],
    ['a file, not a directory', ['generated/history.json', 'generated'], 'compare: generated/history.json is not a directory of result files'],
    ['a directory without result files', [empty, 'generated'], `compare: ${empty} has no result files (<id>.json)`],
    ['a directory of shard files only', ['generated', onlyShards], `compare: ${onlyShards} has no result files (<id>.json)`],
  ])('%s: one line naming the path, exit 1, nothing on stdout', (_, args, line) => {
    const run = compare(args);
    expect(run.stderr).toBe(`${line}\n`);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(1);
  });

  it('invalid JSON: one line naming the file, no stack, exit 1', () => {
    const run = compare([badJson, 'generated']);
    expect(run.stderr).toMatch(new RegExp(`^compare: ${join(badJson, 'scale.json')} is not valid JSON \\([^\\n]+\\)\\n$`));
    expect(run.stdout).toBe('');
    expect(run.status).toBe(1);
  });

  it('a file that is not a result file: names the file and each bad field, no stack, exit 1', () => {
    const run = compare(['generated', badShape]);
    expect(run.stderr.split('\n')[0]).toBe(`compare: ${join(badShape, 'scale.json')} is not a valid result file:`);
    expect(run.stderr).toMatch(/- field claim: /);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(1);
  });

  it('two valid directories: the table, exit 0', () => {
    const run = compare([good, 'generated', '--limit', '3']);
    expect(run.stdout).toMatch(/^## Rebuilt experiments\n/);
    expect(run.stdout).toMatch(/### history — /);
    expect(run.stdout).toMatch(/### scale — /);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('compare: arguments', () => {
  it.each([
    [['generated'], 'compare: takes two directories, OLD_DIR and NEW_DIR, not 1'],
    [['generated', 'generated', 'generated'], 'compare: takes two directories, OLD_DIR and NEW_DIR, not 3'],
    [['generated', 'generated', '--bogus'], 'compare: unknown option "--bogus"'],
    [['generated', 'generated', '--limit', 'all'], 'compare: --limit must be a whole number ≥ 1, not "all"'],
    [['generated', 'generated', '--limit', '0'], 'compare: --limit must be a whole number ≥ 1, not "0"'],
  ])('%j: one line, the usage, exit 2', (args, line) => {
    const run = compare(args);
    expect(run.stderr.split('\n')[0]).toBe(line);
    expect(run.stderr).toContain('\n\nUsage: npm run compare -- OLD_DIR NEW_DIR');
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });
});
