/** The protocol's data split and round size: validation never overlaps what a trial trains on. */
import { describe, expect, it } from 'vitest';
import { PIXELS, type Split } from '../../experiments/lib/mnist.ts';
import { carveValidation, epochsPerRound, VALIDATION_SIZE } from '../../experiments/lib/protocol.ts';
import { protocolSplits, trialSubset } from '../../experiments/lib/trial.ts';
import { STOPPING } from '../../experiments/lib/zoo.ts';

/** A split whose every image carries its own index in its first three pixels. */
function numbered(count: number): Split {
  const images = new Uint8Array(count * PIXELS);
  for (let i = 0; i < count; i++) images.set([i & 255, (i >> 8) & 255, (i >> 16) & 255], i * PIXELS);
  return { images, labels: new Uint8Array(count).map((_, i) => i % 10), count };
}
const ids = (split: Split) => Array.from({ length: split.count }, (_, i) => split.images[i * PIXELS]! | (split.images[i * PIXELS + 1]! << 8) | (split.images[i * PIXELS + 2]! << 16));

describe('carveValidation', () => {
  it('splits the training images into a validation set and a pool that do not overlap and cover them all, the same way every time', () => {
    const train = numbered(12000);
    const { validation, pool } = carveValidation(train, 2000);
    const v = ids(validation);
    const p = ids(pool);
    expect(v).toHaveLength(2000);
    expect(p).toHaveLength(10000);
    expect(new Set([...v, ...p]).size).toBe(12000);
    expect(ids(carveValidation(train, 2000).validation)).toEqual(v);
  });

  it('on MNIST: 5,000 validation images, and every trial subset drawn from the other 55,000 only', () => {
    const { validation, pool } = protocolSplits();
    expect(validation.count).toBe(VALIDATION_SIZE);
    expect(pool.count).toBe(60000 - VALIDATION_SIZE);
    // No image of a subset is byte-identical to a validation image it was carved apart from (MNIST has no exact duplicates across this split).
    const key = (s: Split, i: number) => Buffer.from(s.images.subarray(i * PIXELS, (i + 1) * PIXELS)).toString('base64');
    const held = new Set(Array.from({ length: validation.count }, (_, i) => key(validation, i)));
    const subset = trialSubset(3000, 1);
    expect(Array.from({ length: subset.count }, (_, i) => key(subset, i)).filter((k) => held.has(k))).toEqual([]);
  });
});

describe('epochsPerRound', () => {
  it('judges a tiny set after at least roundSteps steps and a large one every epoch', () => {
    expect(epochsPerRound(STOPPING, 100, 64)).toBe(Math.ceil(STOPPING.roundSteps / 2));
    expect(epochsPerRound(STOPPING, 55000, 64)).toBe(1);
  });
});
