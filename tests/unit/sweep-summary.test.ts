/** Reading sweeps at each seed's best epoch, and judging a difference against the spread over seeds. */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../experiments/lib/schema.ts';
import { epochsToTargetPerSeed, peakValidationPerSeed, separatedOverSeeds } from '../../experiments/summaries/sweep.ts';

const curve = (seed: number, accuracies: number[], diverged = false): Row[] => [
  ...accuracies.map((valAccuracy, i) => ({ kind: 'epoch', seed, epoch: i + 1, valAccuracy })),
  { kind: 'final', seed, diverged },
];

describe('best-so-far validation', () => {
  it('reads a run that collapses in its last epoch at its best epoch', () => {
    const rows = [...curve(1, [0.5, 0.886, 0.716]), ...curve(2, [0.6, 0.89, 0.891])];
    expect(peakValidationPerSeed(rows, () => true, [1, 2])).toEqual([0.886, 0.891]);
  });

  it('counts a diverged seed as chance', () => {
    expect(peakValidationPerSeed(curve(1, [0.9], true), () => true, [1])).toEqual([0.1]);
  });

  it('gives each seed its own epochs to a target, undefined where it never got there', () => {
    const rows = [...curve(1, [0.5, 0.9]), ...curve(2, [0.5, 0.6])];
    expect(epochsToTargetPerSeed(rows, () => true, 0.88, [1, 2])).toEqual([2, undefined]);
  });
});

describe('a difference beyond seed noise', () => {
  it('is one where every seed of one contender is above every seed of the other', () => {
    expect(separatedOverSeeds([0.91, 0.92], [0.88, 0.9])).toBe(true);
    expect(separatedOverSeeds([0.88, 0.9], [0.91, 0.92])).toBe(true);
  });

  it('is not one where the ranges overlap, however far apart the means', () => {
    expect(separatedOverSeeds([0.8, 0.99], [0.9, 0.91])).toBe(false);
    expect(separatedOverSeeds([3, 4], [4, 6])).toBe(false);
  });
});
