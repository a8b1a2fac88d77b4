/**
 * The lessons state these of generated/model-size.json in words (larger networks, role of scale): when a
 * rerun makes one false, this fails and the sentence must change with the data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText } from '../../experiments/lib/schema.ts';

const file = 'generated/model-size.json';
const { summary: s, config } = parseResultText(readFileSync(file, 'utf8'), file);
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
});
