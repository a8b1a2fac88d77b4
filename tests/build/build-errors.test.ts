/**
 * An author's and a maintainer's mistakes must stop the build with a message naming what to fix.
 * Each case builds a temporary copy of the site with one fault injected.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { astroEnv } from '../support/astro.ts';
import { firstTrialRow } from '../support/rows.ts';

const root = resolve('.');
let copies: string[] = [];

// Copies live inside the project (in the ignored .cache/) so that node_modules resolves upwards as
// usual; a symlinked node_modules in /tmp confuses Astro's compiler about where files live.
function copySite(): string {
  const parent = join(root, '.cache', 'build-fixtures');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'site-'));
  for (const entry of ['src', 'experiments', 'generated', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  copies.push(dir);
  return dir;
}

function build(dir: string): { status: number | null; output: string } {
  const run = spawnSync('npx', ['astro', 'build'], {
    cwd: dir,
    encoding: 'utf8',
    env: astroEnv({ NO_COLOR: '1', FORCE_COLOR: '0' }),
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const lesson = 'src/content/docs/lessons/traditional-algorithms-plateau.mdx';

afterEach(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  copies = [];
});

describe('build errors', () => {
  it('a malformed generated/scale.json fails the build, naming the file and the field', () => {
    const dir = copySite();
    const file = join(dir, 'generated/scale.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    const i = firstTrialRow('scale', join(dir, 'generated'));
    data.rows[i].testAccuracy = { oops: true };
    writeFileSync(file, JSON.stringify(data));
    const { status, output } = build(dir);
    expect(status).not.toBe(0);
    expect(output).toContain('generated/scale.json is not a valid result file');
    expect(output).toContain(`field rows[${i}].testAccuracy`);
  });

  it('a summary that disagrees with its rows fails the build, naming the file, the key with old → new, and the fix', () => {
    const dir = copySite();
    const file = join(dir, 'generated/scale.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.summary['best.largest.marginOverLogistic'] = 0.4321;
    writeFileSync(file, JSON.stringify(data));
    const { status, output } = build(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(/generated\/scale\.json: its summary is not what its rows give with the current summary code: summary\["best\.largest\.marginOverLogistic"\] 0\.4321 → 0\.0\d+/);
    expect(output).toContain('npm run resummarize -- scale');
  });

  it('a misspelled <Value> key with missing= words fails the build, naming the lesson, the key and the nearest keys', () => {
    const dir = copySite();
    const path = join(dir, 'src/content/docs/lessons/algorithmic-innovations.mdx');
    const original = readFileSync(path, 'utf8');
    const broken = original.replace('name="epochsToTarget.sgd" format="decimal" missing="not reached"', 'name="epochToTarget.sgd" format="decimal" missing="not reached"');
    expect(broken, 'the lesson must quote epochsToTarget.sgd with missing words for this test').not.toBe(original);
    writeFileSync(path, broken);
    const { status, output } = build(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(/lessons\/algorithmic-innovations\.mdx.* quotes "epochToTarget\.sgd" from generated\/optimizers\.json, whose summary has no such value\. Nearest: "epochsToTarget\.sgd"/);
  });

  it('a lesson listing an unknown chart in its frontmatter fails the build, naming the lesson and the field', () => {
    const dir = copySite();
    const path = join(dir, lesson);
    const original = readFileSync(path, 'utf8');
    const broken = original.replace(/^charts: \[scale-learning-curves\b/m, 'charts: [scale-learning-curvez');
    expect(broken, 'the lesson must list scale-learning-curves first for this test').not.toBe(original);
    writeFileSync(path, broken);
    const { status, output } = build(dir);
    expect(status).not.toBe(0);
    expect(output).toContain('lessons/traditional-algorithms-plateau.mdx');
    expect(output).toMatch(/charts/);
    expect(output).toContain('scale-learning-curvez');
  });

  it('a lesson embedding a chart that does not exist fails the build, naming the lesson', () => {
    const dir = copySite();
    const path = join(dir, lesson);
    writeFileSync(path, readFileSync(path, 'utf8').replace('<Chart id="scale-learning-curves" />', '<Chart id="no-such-chart" />'));
    const { status, output } = build(dir);
    expect(status).not.toBe(0);
    expect(output).toContain(`Lesson ${lesson} refers to chart "no-such-chart", which does not exist`);
  });
});
