/**
 * The science experiments at the smoke profile: output shape and the invariants that must hold on any
 * data — every cell present for every seed, accuracies in [0, 1], summaries recomputable from rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { errorPowerLaw, meanAccuracy } from '../../experiments/lib/curves.ts';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import { FEATURE_COUNT, handFeatures } from '../../experiments/lib/features.ts';
import { loadMnist, headOfSplit } from '../../experiments/lib/mnist.ts';
import { runExperiment } from '../../experiments/lib/runner.ts';
import type { ResultFile, Row } from '../../experiments/lib/schema.ts';
import { history } from '../../experiments/suite/history.ts';
import { modelSize } from '../../experiments/suite/model-size.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { smallData } from '../../experiments/suite/small-data.ts';

let backend: BackendChoice;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

function expectEveryCell(rows: Row[], models: string[], sizes: number[], seeds: number[]) {
  expect(rows).toHaveLength(models.length * sizes.length * seeds.length);
  for (const model of models)
    for (const m of sizes)
      for (const seed of seeds) {
        const row = rows.find((r) => r.model === model && r.m === m && r.seed === seed);
        expect(row, `${model} m=${m} seed=${seed}`).toBeDefined();
        if (row!.diverged === false) {
          expect(row!.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(row!.testAccuracy).toBeLessThanOrEqual(1);
          expect(row!.testError).toBeCloseTo(1 - (row!.testAccuracy as number), 12);
        }
      }
}

describe('scale (smoke)', () => {
  let result: ResultFile;
  beforeAll(async () => {
    result = await runExperiment(scale, { profile: 'smoke', backend });
  });

  it('has every model × size × seed, with accuracies in [0, 1]', () => {
    const c = scale.configs.smoke;
    expectEveryCell(result.rows, c.models.map((m) => m.name), c.sizes, c.seeds);
  });

  it('computes its fits and means from the rows', () => {
    for (const { name } of scale.configs.smoke.models) {
      expect(result.summary[`fit.${name}.exponent`]).toBeCloseTo(errorPowerLaw(result.rows, name)!.exponent, 12);
      expect(result.summary[`accuracy.${name}.largest`]).toBeCloseTo(meanAccuracy(result.rows, name, 400), 12);
    }
  });

  it('carries its literature figures with citations', () => {
    expect(result.references.length).toBeGreaterThan(0);
    for (const ref of result.references) expect(ref.citation).toMatch(/\d{4}/);
  });
});

describe('small-data (smoke)', () => {
  let result: ResultFile;
  beforeAll(async () => {
    result = await runExperiment(smallData, { profile: 'smoke', backend });
  });

  it('has every model × size × seed', () => {
    const c = smallData.configs.smoke;
    expectEveryCell(result.rows, c.models.map((m) => m.name), c.sizes, c.seeds);
  });

  it('reports rates in [0, 1], recomputable from the rows', () => {
    const c = smallData.configs.smoke;
    for (const m of c.sizes) {
      for (const key of [`leaderFlipRate.${m}`, `pairReversalRate.${m}`, `overlappingPairs.${m}`]) {
        expect(result.summary[key]).toBeGreaterThanOrEqual(0);
        expect(result.summary[key]).toBeLessThanOrEqual(1);
      }
      // The leader flip rate, counted again here from the rows.
      const names = c.models.map((x) => x.name);
      const leader = names.reduce((a, b) => (meanAccuracy(result.rows, b, m) > meanAccuracy(result.rows, a, m) ? b : a));
      const flips = c.seeds.filter((seed) => {
        const acc = (name: string) => result.rows.find((r) => r.model === name && r.m === m && r.seed === seed)!.testAccuracy as number;
        return names.reduce((a, b) => (acc(b) > acc(a) ? b : a)) !== leader;
      }).length;
      expect(result.summary[`leaderFlipRate.${m}`]).toBe(flips / c.seeds.length);
    }
  });
});

describe('model-size (smoke)', () => {
  it('covers every width × size × seed and reports the best width per size', async () => {
    const result = await runExperiment(modelSize, { profile: 'smoke', backend });
    const c = modelSize.configs.smoke;
    expectEveryCell(result.rows, c.widths.map((w) => `width-${w}`), c.sizes, c.seeds);
    for (const m of c.sizes) expect(c.widths).toContain(result.summary[`bestWidth.${m}`]);
    // Parameters grow with width w: 784·w weights and w biases in, 10·w weights and 10 biases out.
    for (const row of result.rows) expect(row.params).toBe((784 + 1 + 10) * (row.width as number) + 10);
  });
});

describe('history', () => {
  it('gives every row a year and a source', async () => {
    const result = await runExperiment(history, { profile: 'smoke', backend });
    for (const row of result.rows) {
      expect(row.year).toBeGreaterThan(1990);
      expect(String(row.source).length).toBeGreaterThan(5);
    }
    expect(result.summary['fp32.growth']).toBeGreaterThan(10);
  });
});

describe('hand-engineered features', () => {
  it('turns each image into FEATURE_COUNT finite numbers of moderate size', () => {
    const split = headOfSplit(loadMnist().test, 50);
    const features = handFeatures(split);
    expect(features.length).toBe(50 * FEATURE_COUNT);
    let max = 0;
    for (const v of features) {
      expect(Number.isFinite(v)).toBe(true);
      max = Math.max(max, Math.abs(v));
    }
    expect(max).toBeGreaterThan(0.5);
    expect(max).toBeLessThan(20);
  });
});
