/**
 * The practitioner's rule (practitioner.ts): a trial with m labels decides on a part of those m and
 * nothing else, then trains on all m.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';
import { holdOut, practitionerTrial } from '../../experiments/lib/practitioner.ts';
import { PIXELS, toFloatPixels, type Split } from '../../experiments/lib/split.ts';
import { testHead, trialSubset } from '../../experiments/lib/trial.ts';
import { STOPPING } from '../../experiments/lib/zoo.ts';

/** A split whose every image carries its own index in its first two pixels. */
function numbered(count: number): Split {
  const images = new Uint8Array(count * PIXELS);
  for (let i = 0; i < count; i++) images.set([i & 255, i >> 8], i * PIXELS);
  return { images, labels: new Uint8Array(count).map((_, i) => i % 10), count };
}
const ids = (split: Split) => Array.from({ length: split.count }, (_, i) => split.images[i * PIXELS]! | (split.images[i * PIXELS + 1]! << 8));

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('holdOut', () => {
  it('splits the m images into two disjoint parts that cover them, a fifth held out, the same way for a seed', () => {
    const data = numbered(50);
    const { fit, heldOut } = holdOut(data, 0.2, 7);
    expect(heldOut.count).toBe(10);
    expect(fit.count).toBe(40);
    expect(new Set([...ids(fit), ...ids(heldOut)]).size).toBe(50);
    expect(ids(holdOut(data, 0.2, 7).heldOut)).toEqual(ids(heldOut));
    expect(ids(holdOut(data, 0.2, 8).heldOut)).not.toEqual(ids(heldOut));
    // Never all or nothing, however small m is.
    expect(holdOut(numbered(2), 0.2, 1).heldOut.count).toBe(1);
  });
});

describe('practitionerTrial', () => {
  it('chooses on its held-out part, trains the final model on all m for the kept epochs, and scores the test set once', async () => {
    const trial = {
      model: 'tiny',
      spec: { kind: 'mlp' as const, hidden: [16], activation: 'relu' as const },
      optimizer: { name: 'adam' as const, learningRate: 1e-3 },
      m: 100,
      seed: 2,
      batchSize: 32,
      stopping: { ...STOPPING, roundSteps: 10, patience: 2, maxRounds: 6 },
      testSize: 300,
    };
    const test = testHead(trial.testSize);
    const plan = { grid: { learningRates: [1e-3], l2: [1e-4, 1e-2] }, heldOutShare: 0.2 };
    const result = await practitionerTrial(trial, trialSubset(trial.m, trial.seed), test, toFloatPixels(test), plan);
    expect(result.heldOut).toBe(20);
    expect(result.candidates).toHaveLength(2);
    // Its validation accuracy is the held-out part's: a multiple of 1/20.
    const chosen = result.candidates.find((c) => JSON.stringify(c.setting) === JSON.stringify(result.setting))!;
    expect(result.outcome.valAccuracy).toBe(chosen.heldOutAccuracy);
    expect(Math.round(result.outcome.valAccuracy! * 20) / 20).toBeCloseTo(result.outcome.valAccuracy!, 12);
    expect(result.outcome.keptEpoch).toBe(result.outcome.epochsRun);
    // Trained on all m: 100 images in batches of 32 take 4 steps an epoch.
    expect(result.outcome.steps).toBe(4 * result.outcome.epochsRun);
    expect(result.outcome.testAccuracy).toBeGreaterThan(0.3);
  }, 120_000);
});
