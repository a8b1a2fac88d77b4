/** "Run it yourself" as a playground (issue 22): your configuration's checks, the nearest of ours, shared links, a drawn digit. */
import { describe, expect, it } from 'vitest';
import { PIXELS } from '../../experiments/lib/mnist.ts';
import { toMnist } from '../../src/run/digit.ts';
import { compareWithin } from '../../src/run/compare.ts';
import { modelSizeOffer, optimizersOffer, packName, packSources, saturationOffer, scaleOffer, smallDataOffer } from '../../src/run/offers.ts';
import { CUSTOM_POOL, nearestPrecomputed, planRun, readCustom } from '../../src/run/plan.ts';
import { decodeRuns, encodeRuns, type SavedRun } from '../../src/run/share.ts';

const good = { model: 'network', widths: '64', activation: 'relu', init: 'glorot-uniform', optimizer: 'adam', rate: '0.001', m: '500', seed: '3' };

describe('your configuration', () => {
  it('refuses bad values at their field, saying why, and reads good ones', () => {
    const offer = modelSizeOffer();
    const { errors } = readCustom(offer, { ...good, widths: '0', rate: '50', m: '60000' }, 'wasm');
    expect(Object.keys(errors).sort()).toEqual(['m', 'rate', 'widths']);
    expect(errors.widths).toMatch(/at least 1/);
    expect(errors.rate).toMatch(/at most 10/);
    expect(errors.m).toMatch(/pool holds only 55,000/);
    expect(readCustom(offer, { ...good, m: '20000' }, 'wasm').errors.m).toMatch(/at most 10,000/);
    expect(readCustom(offer, { ...good, widths: '1024, 1024, 1024, 1024', m: '10000' }, 'wasm').errors.widths).toMatch(/Too long for a browser run/);
    const { config } = readCustom(offer, good, 'wasm');
    expect(config).toMatchObject({ custom: true, widths: [64], m: 500, seed: 3, rate: 0.001 });
    // Not a pack of ours: sampled from the pool.
    expect(planRun(offer, config!).train).toEqual({ pool: `pool-${CUSTOM_POOL}`, m: 500, seed: 3 });
    expect(planRun(offer, { ...config!, m: 300, seed: 1 }).train).toEqual({ pack: 'train-m300-seed1' });
    expect(nearestPrecomputed(offer, config!).words).toBe('32 hidden units, 300 images, seed 3');
  });

  it('fixed-epoch charts take epochs too', () => {
    const offer = saturationOffer();
    expect(readCustom(offer, { ...good, epochs: '0' }, 'wasm').errors.epochs).toMatch(/at least 1/);
    expect(readCustom(offer, { ...good, epochs: '500' }, 'wasm').errors.epochs).toMatch(/at most 120/);
    expect(nearestPrecomputed(optimizersOffer(), readCustom(optimizersOffer(), { ...good, epochs: '3' }, 'wasm').config!).words).toMatch(/Adam at 0.001/);
  });
});

describe('offers', () => {
  it('offer what finishes in about a minute, with a pack for every offered (m, seed)', () => {
    const names = new Set(packSources().map(packName));
    for (const offer of [scaleOffer(), smallDataOffer(), modelSizeOffer()]) {
      expect(offer.models.length).toBeGreaterThan(0);
      expect(offer.models.some((m) => m.spec.kind === 'rbf-svm' || m.spec.kind === 'rff-svm')).toBe(false);
      for (const m of offer.sizes) for (const seed of offer.seeds) expect(names.has(`train-m${m}-seed${seed}`)).toBe(true);
      expect(offer.committed.rows.length).toBeGreaterThan(0);
    }
    expect(names.has(`pool-${CUSTOM_POOL}`)).toBe(true);
  });
});

describe('shared links', () => {
  it('round-trip, and ignore what does not decode', () => {
    const runs: SavedRun[] = [
      { config: { custom: false, backend: 'wasm', model: 'logistic', m: 100, seed: 1 }, result: { kind: 'trial', testAccuracy: 0.7, valAccuracy: 0.71, trainAccuracy: 1, keptEpoch: 25, epochsRun: 150, steps: 300, trainLoss: 0.1, valLoss: 0.9, diverged: false, params: 7850, backend: 'wasm' } },
      { config: { custom: true, backend: 'wasm', m: 300, seed: 2, widths: [8], activation: 'tanh', optimizer: 'sgd', rate: 0.1, epochs: 2 }, result: { kind: 'curve', valAccuracy: [0.5, 0.6], testAccuracy: 0.61, diverged: false, backend: 'wasm' } },
    ];
    expect(decodeRuns(encodeRuns(runs), 4)).toEqual(runs);
    expect(decodeRuns('not-base64!', 4)).toEqual([]);
    expect(decodeRuns(encodeRuns(runs), 1)).toHaveLength(1);
  });
});

describe('a GPU run against our rows', () => {
  it('is within the tolerance only when every accuracy is', () => {
    expect(compareWithin({ testAccuracy: 0.9, keptEpoch: 3 }, { testAccuracy: 0.905, keptEpoch: 4 }).within).toBe(true);
    expect(compareWithin({ testAccuracy: 0.9 }, { testAccuracy: 0.92 }).within).toBe(false);
  });
});

describe('a drawn digit', () => {
  it('is scaled into 20×20 and centred by its centre of mass in 28×28, like MNIST', () => {
    const size = 100;
    const ink = new Float32Array(size * size);
    // A thick vertical bar in the top-left corner.
    for (let y = 5; y < 45; y++) for (let x = 5; x < 15; x++) ink[y * size + x] = 1;
    const image = toMnist(ink, size)!;
    expect(image).toHaveLength(PIXELS);
    let mass = 0, cx = 0, cy = 0, top = 28, bottom = 0;
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const v = image[y * 28 + x]!;
        mass += v;
        cx += v * (x + 0.5);
        cy += v * (y + 0.5);
        if (v > 0) (top = Math.min(top, y)), (bottom = Math.max(bottom, y));
      }
    expect(bottom - top + 1).toBe(20);
    expect(Math.abs(cx / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(toMnist(new Float32Array(size * size), size)).toBeNull();
  });
});
