/**
 * The lessons state these of generated/model-size.json in words (larger networks, role of scale): when a
 * rerun makes one false, this fails and the sentence must change with the data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText, trialsOf } from '../../experiments/lib/schema.ts';

const file = 'generated/model-size.json';
const { summary: s, config, rows } = parseResultText(readFileSync(file, 'utf8'), file);
const trials = trialsOf(rows);
const seedsOf = (width: number, m: number, field: 'testAccuracy' | 'trainAccuracy') => trials.filter((r) => r.width === width && r.m === m).map((r) => r[field] as number);
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sizes = (config as { sizes: number[] }).sizes;
const widths = (config as { widths: number[] }).widths;

describe('what the lessons say of generated/model-size.json in words', () => {
  it('role of scale: the widest network had the best mean at every amount of data', () => {
    for (const m of sizes) expect(s[`bestWidth.${m}`], `m = ${m}`).toBe(Math.max(...widths));
  });

  it('role of scale: width added about as many points with the least data as with the most (within a point)', () => {
    expect(Math.abs(s['widthGain.smallestM']! - s['widthGain.largestM']!)).toBeLessThan(0.01);
  });

  it('role of scale: the share of the errors width removes is larger with the most data than with the least', () => {
    expect(s['widthErrorCut.largestM']!).toBeGreaterThan(s['widthErrorCut.smallestM']!);
  });

  it('larger networks: the last step in width is worth less than a point at every size; the seed ranges overlap at every size but the largest', () => {
    const largest = Math.max(...sizes);
    for (const m of sizes) {
      const [best, runner] = [seedsOf(s[`bestWidth.${m}`]!, m, 'testAccuracy'), seedsOf(s[`runnerUpWidth.${m}`]!, m, 'testAccuracy')];
      expect(meanOf(best) - meanOf(runner), `m = ${m}`).toBeLessThan(0.01);
      const overlap = Math.min(...best) <= Math.max(...runner) && Math.min(...runner) <= Math.max(...best);
      expect(overlap, `m = ${m}`).toBe(m !== largest);
    }
    expect(s['bestOverRunnerUp.wins']!).toBeGreaterThan(s['bestOverRunnerUp.pairs']! / 2);
  });

  it('larger networks: with the least data every width from 32 up fitted every training image on every seed, and every step up in width had a better mean at every size', () => {
    const smallest = Math.min(...sizes);
    for (const w of widths.filter((w) => w >= 32)) expect(Math.min(...seedsOf(w, smallest, 'trainAccuracy')), `width ${w}`).toBe(1);
    const sorted = [...widths].sort((a, b) => a - b);
    for (const m of sizes) for (let i = 1; i < sorted.length; i++) expect(meanOf(seedsOf(sorted[i]!, m, 'testAccuracy')), `width ${sorted[i]} at ${m}`).toBeGreaterThan(meanOf(seedsOf(sorted[i - 1]!, m, 'testAccuracy')));
  });
});
