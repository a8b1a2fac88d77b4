import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultFile, parseResultText, ResultFileError } from '../../experiments/lib/schema.ts';
import { firstTrialRow } from '../support/rows.ts';

const committed = JSON.parse(readFileSync('generated/scale.json', 'utf8')) as Record<string, unknown>;
const clone = () => structuredClone(committed) as Record<string, any>;

describe('result file schema', () => {
  it('accepts the committed scale result', () => {
    expect(parseResultFile(committed, 'generated/scale.json').id).toBe('scale');
  });

  it('names the file and the field of a malformed row', () => {
    const bad = clone();
    const i = firstTrialRow('scale');
    bad.rows[i].testAccuracy = { value: 0.9 };
    expect(() => parseResultFile(bad, 'generated/scale.json')).toThrow(ResultFileError);
    expect(() => parseResultFile(bad, 'generated/scale.json')).toThrow(`generated/scale.json is not a valid result file:\n  - field rows[${i}].testAccuracy:`);
  });

  it('names a missing provenance field and says how to fix it', () => {
    const bad = clone();
    delete bad.provenance.backend;
    delete bad.summary;
    let message = '';
    try {
      parseResultFile(bad, 'generated/scale.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/field summary:/);
    expect(message).toMatch(/field provenance\.backend:/);
    expect(message).toMatch(/Fix: re-run the experiment \(npm run experiments -- scale\)/);
  });

  it('reports a stale schema version as stale, not as a pile of field errors', () => {
    const old = clone();
    old.schemaVersion = 0;
    expect(() => parseResultFile(old, 'generated/scale.json')).toThrowErrorMatchingInlineSnapshot(`
      [ResultFileError: generated/scale.json is stale: it was written with schema version 0, this code reads version 1.
      Fix: re-run the experiment (npm run experiments -- scale).]
    `);
  });

  it('reports broken JSON with the file name', () => {
    expect(() => parseResultText('{"id": "scale", ', 'generated/scale.json')).toThrow(/^generated\/scale\.json is not valid JSON/);
  });
});
