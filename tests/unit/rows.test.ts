/** Row schemas (experiments/lib/rows.ts): every committed row passes; a wrong cell fails, naming file, row and field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROW_SCHEMAS, validateRows } from '../../experiments/lib/rows.ts';
import { ResultFileError } from '../../experiments/lib/schema.ts';
import { experiments } from '../../experiments/suite/index.ts';

const rowsOf = (id: string): Record<string, unknown>[] => JSON.parse(readFileSync(`generated/${id}.json`, 'utf8')).rows;

/** The n-th trial row (no kind): v3 files put tuning rows first, so a case names the trial it tampers with by position among trials. */
const trial = (rows: Record<string, unknown>[], n = 0) => rows.filter((r) => r.kind === undefined)[n]!;

describe('row schemas', () => {
  it('has one for every experiment, and none for an experiment that does not exist', () => {
    expect(Object.keys(ROW_SCHEMAS).sort()).toEqual(experiments.map((e) => e.id).sort());
  });

  it.each(experiments.map((e) => e.id))('%s: every committed row passes', (id) => {
    const rows = rowsOf(id);
    expect(validateRows(id, rows, `generated/${id}.json`)).toHaveLength(rows.length);
  });

  it('takes a penalty of 0 (no penalty, a setting of its own) in tuning and trial rows, and refuses a negative one', () => {
    const rows = rowsOf('model-size');
    const tuning = rows.find((r) => r.kind === 'tuning')!;
    rows.push({ ...tuning, l2: 0 }, { ...trial(rows), l2: 0 });
    expect(validateRows('model-size', rows, 'generated/model-size.json')).toHaveLength(rows.length);
    rows.push({ ...tuning, l2: -1e-4 });
    expect(() => validateRows('model-size', rows, 'generated/model-size.json')).toThrow(/field l2 is -0\.0001/);
  });

  const cases: [string, string, (rows: Record<string, unknown>[]) => void, RegExp][] = [
    ['a null accuracy of a trial that did not diverge', 'scale', (rows) => (trial(rows, 3).testAccuracy = null), /^generated\/scale\.json: rows\[\d+\] field testAccuracy is null, but the trial did not diverge/],
    ['a string where a number belongs', 'scale', (rows) => (trial(rows, 5).testAccuracy = '0.9'), /rows\[\d+\] field testAccuracy is "0\.9": expected number, received string/],
    ['an accuracy above 1', 'small-data', (rows) => (rows[0]!.valAccuracy = 91.2), /rows\[0\] field valAccuracy is 91\.2: Too big/],
    ['a misspelled field', 'model-size', (rows) => {
      const row = trial(rows, 1);
      row.testAcuracy = row.testAccuracy;
      delete row.testAccuracy;
    }, /rows\[(\d+)\] field testAccuracy is absent.*rows\[\1\] has unexpected field\(s\) testAcuracy/],
    ['a fractional count', 'model-size', (rows) => (trial(rows).epochsRun = 12.5), /rows\[\d+\] field epochsRun is 12\.5: expected int/],
    ['an unknown row kind', 'activations', (rows) => (rows[0]!.kind = 'epochs'), /rows\[0\] field kind is "epochs", expected one of "epoch", "final", "gradient", "signal", "curve"/],
    ['a null loss in an epoch of a sweep', 'optimizers', (rows) => (rows[0]!.trainLoss = null), /rows\[0\] field trainLoss is null/],
    ['a test error that is not 1 − accuracy', 'scale', (rows) => (trial(rows).testError = 0.5), /rows\[\d+\] field testError is 0\.5, but testAccuracy is/],
    ['a compute row measured without a test accuracy', 'compute', (rows) => {
      const measured = rows.find((r) => r.status === 'measured' && r.epochsToTarget !== null)!;
      measured.testAccuracy = null;
    }, /field testAccuracy must be null exactly when epochsToTarget is null/],
    ['a curated year as a string', 'history', (rows) => (rows[0]!.year = '1998'), /rows\[0\] field year is "1998"/],
    ['a tuning row that lost its rung', 'model-size', (rows) => {
      const tuning = rows.find((r) => r.kind === 'tuning');
      if (tuning) delete tuning.rung;
      else rows.push({ kind: 'tuning', model: 'width-8', width: 8, m: 300, seed: 1, learningRate: 1e-3, l2: 1e-4, epochs: 5, valAccuracy: 0.5, valLoss: 1, advanced: true });
    }, /field rung is absent/],
    ['a row of a kind the experiment does not write', 'small-data', (rows) => (rows[0]!.kind = 'tuning'), /rows\[0\] field kind is "tuning", expected none \(a trial\)/],
    ['a practitioner row that used more labels than its m', 'scale', (rows) => rows.push({ ...rows.find((r) => r.kind === undefined)!, kind: 'practitioner', heldOut: 5, labelledImages: 5100 }), /field labelledImages is 5100, but the trial's m is/],
  ];

  it.each(cases)('refuses %s, naming the file, the row and the field, and how to fix it', (_, id, tamper, message) => {
    const rows = rowsOf(id);
    tamper(rows);
    let error: unknown;
    try {
      validateRows(id, rows, `generated/${id}.json`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ResultFileError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).toContain(`Fix: re-run the experiment (npm run experiments -- ${id})`);
    expect(text).not.toContain('\n');
  });

  it('counts the bad rows beyond the first few it shows', () => {
    const rows = rowsOf('scale');
    for (const row of rows.slice(0, 10)) row.testAccuracy = null;
    expect(() => validateRows('scale', rows, 'x.json')).toThrow(/\(10 bad rows of \d+\)/);
  });

  it('refuses an experiment id it does not know, listing the known ones', () => {
    expect(() => validateRows('foo', [{}], 'generated/foo.json')).toThrow(
      /^generated\/foo\.json: no experiment has the id "foo", so its rows cannot be checked \(known: scale, small-data, /,
    );
  });
});
