/**
 * The role-of-scale lesson states these of generated/small-data.json in words: when a rerun makes one
 * false, this fails and the sentence must change with the data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText, trialsOf } from '../../experiments/lib/schema.ts';

const file = 'generated/small-data.json';
const { summary: s, rows } = parseResultText(readFileSync(file, 'utf8'), file);
const trials = trialsOf(rows);

describe('what the lessons say of generated/small-data.json in words', () => {
  it('role of scale: some chosen runs reached the round cap, most of them the designed features’', () => {
    const capped = trials.filter((r) => r.hitCap === true);
    expect(capped.length).toBe(s['cappedTrials']);
    expect(capped.length).toBeGreaterThan(0);
    expect(capped.filter((r) => r.model === 'features').length).toBeGreaterThan(capped.length / 2);
  });
});
