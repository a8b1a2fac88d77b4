/**
 * Nothing wrong is ever published: each fault that once ended in a green build showing wrong numbers
 * is injected into a temporary copy of generated/ (RESULTS_DIR) and must stop the build's loaders
 * (src/lib/results.ts, src/lib/summary.ts) with a message naming the file or page, the field and the fix.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listResultIds, loadResult } from '../../src/lib/results.ts';
import { readSummaryValue } from '../../src/lib/summary.ts';
import { firstTrialRow } from '../support/rows.ts';

let dirs: string[] = [];
const saved = process.env.RESULTS_DIR;

/** A fresh copy of generated/ that the loaders read from; `tamper` edits one file's parsed JSON. */
function results(id?: string, tamper?: (data: Record<string, any>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'results-'));
  cpSync('generated', dir, { recursive: true });
  if (id && tamper) {
    const file = join(dir, `${id}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    tamper(data);
    writeFileSync(file, JSON.stringify(data));
  }
  dirs.push(dir);
  process.env.RESULTS_DIR = dir;
  return dir;
}

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
  if (saved === undefined) delete process.env.RESULTS_DIR;
  else process.env.RESULTS_DIR = saved;
});

/** SGD's epochs to the target as the committed optimizers file has it (what a tampered copy is checked against). */
const sgdEpochsToTarget = (): number => JSON.parse(readFileSync('generated/optimizers.json', 'utf8')).summary['epochsToTarget.sgd'];

const oneLine = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('a result file is refused when', () => {
  it('its summary disagrees with its rows, showing old → new values and both fixes', () => {
    results('scale', (data) => (data.summary['best.largest.marginOverLogistic'] = 0.4321));
    const message = oneLine(() => loadResult('scale'));
    expect(message).toMatch(/scale\.json: its summary is not what its rows give with the current summary code: summary\["best\.largest\.marginOverLogistic"\] 0\.4321 → 0\.0\d+\. /);
    expect(message).toContain('Fix: if the summary code changed, npm run resummarize -- scale; if the rows are wrong, re-run the experiment (npm run experiments -- scale).');
    expect(message).not.toContain('\n');
  });

  it('its notes, or the set of summary keys, disagree with its rows', () => {
    results('optimizers', (data) => {
      data.notes[0] = 'Everything converged.';
      delete data.summary['epochsToTarget.sgd'];
    });
    const message = oneLine(() => loadResult('optimizers'));
    expect(message).toContain(`summary["epochsToTarget.sgd"] absent → ${sgdEpochsToTarget()}`);
    expect(message).toMatch(/notes\[0\] "Everything converged\." → "/);
  });

  it('a row has null where a number belongs', () => {
    const i = firstTrialRow('scale');
    results('scale', (data) => (data.rows[i].testAccuracy = null));
    expect(oneLine(() => loadResult('scale'))).toMatch(new RegExp(String.raw`scale\.json: rows\[${i}\] field testAccuracy is null, but the trial did not diverge .*Fix: re-run the experiment \(npm run experiments -- scale\)`));
  });

  it('a row has the string "0.9" where a number belongs', () => {
    const i = firstTrialRow('scale');
    results('scale', (data) => (data.rows[i].testAccuracy = '0.9'));
    expect(oneLine(() => loadResult('scale'))).toMatch(new RegExp(String.raw`scale\.json: rows\[${i}\] field testAccuracy is "0\.9": expected number, received string`));
  });

  it('no experiment writes it (a stray copy), naming the file and the known ids', () => {
    const dir = results();
    cpSync(join(dir, 'scale.json'), join(dir, 'foo.json'));
    const expected = /foo\.json: no experiment has the id "foo" \(known: scale, small-data, model-size, history, activations, saturation, optimizers, compute\)\. Fix: remove the file/;
    expect(oneLine(() => listResultIds())).toMatch(expected);
    expect(oneLine(() => loadResult('foo'))).toMatch(expected);
  });

  it('it was written by newer code: the checkout must be updated, not the file re-made', () => {
    results('history', (data) => (data.schemaVersion = 2));
    const message = oneLine(() => loadResult('history'));
    expect(message).toMatch(/history\.json was written by newer code \(schema version 2; this checkout reads version 1\)\.\nFix: update this checkout \(git pull\)/);
    expect(message).not.toContain('stale');
  });

  it('the committed files pass every check', () => {
    results();
    for (const id of listResultIds()) expect(loadResult(id).id).toBe(id);
  });
});

describe('a page quoting a summary value is refused when', () => {
  it('the key is misspelled, even with missing= words: the nearest keys are named, not every key', () => {
    results();
    for (const optional of [false, true]) {
      const message = oneLine(() => readSummaryValue('optimizers', 'epochToTarget.sgd', 'Lesson x.mdx', optional));
      expect(message).toMatch(/^Lesson x\.mdx quotes "epochToTarget\.sgd" from .*optimizers\.json, whose summary has no such value\. Nearest: "epochsToTarget\.sgd", /);
      expect(message).toMatch(/\(every key: field summary of .*optimizers\.json\)\.$/);
      expect(message.length).toBeLessThan(400);
    }
  });

  it('it gives missing= words for a key the experiment always produces', () => {
    results();
    expect(oneLine(() => readSummaryValue('optimizers', 'finalAccuracy.adm', 'Lesson x.mdx', true))).toMatch(/Nearest: "finalAccuracy\.adam"/);
    expect(oneLine(() => readSummaryValue('scale', 'm.largest', 'Lesson x.mdx', true))).toMatch(
      /^Lesson x\.mdx gives missing= words for "m\.largest" from .*scale\.json, but the experiment always produces that value\. Fix: remove missing=/,
    );
  });

  it('an optional value is absent and the page gives no missing= words; with them, it shows them', () => {
    results();
    // The small network is still gaining at the largest m: the summary has no size where it flattens.
    const key = 'flattensAt.nn-small';
    expect(loadResult('scale').summary[key]).toBeUndefined();
    expect(oneLine(() => readSummaryValue('scale', key, 'Lesson x.mdx'))).toMatch(/which this run did not produce .*Fix: give missing="…" words/);
    expect(readSummaryValue('scale', key, 'Lesson x.mdx', true)).toBeUndefined();
    expect(readSummaryValue('optimizers', 'epochsToTarget.sgd', 'Lesson x.mdx', true)).toBe(sgdEpochsToTarget());
    expect(sgdEpochsToTarget()).toBeGreaterThan(0);
  });
});
