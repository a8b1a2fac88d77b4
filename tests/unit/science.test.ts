/**
 * The science experiments at the smoke profile: output shape and the invariants that must hold on any
 * data — every cell present for every seed, accuracies in [0, 1], summaries recomputable from rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { errorPowerLaw, meanAccuracy } from '../../experiments/summaries/curves.ts';
import { trialsOf } from '../../experiments/lib/schema.ts';
import { fitPowerLawWithFloor } from '../../experiments/summaries/fit.ts';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import { FEATURE_COUNT, handFeatures } from '../../experiments/lib/features.ts';
import { loadMnist, headOfSplit } from '../../experiments/lib/mnist.ts';
import { runExperiment } from '../../experiments/lib/runner.ts';
import type { ResultFile, Row } from '../../experiments/lib/schema.ts';
import { history } from '../../experiments/suite/history.ts';
import { modelSize } from '../../experiments/suite/model-size.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { smallData } from '../../experiments/suite/small-data.ts';
import { smokeRun } from '../support/smoke.ts';

let backend: BackendChoice;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

/** Every (model, m) cell a config trains: each model up to its maxM. */
function cellsOf(models: { name: string; maxM?: number }[], sizes: number[]): [string, number][] {
  return models.flatMap((model) => sizes.filter((m) => m <= (model.maxM ?? Infinity)).map((m) => [model.name, m] as [string, number]));
}

/** Every cell's trial rows (tuning, stopping-check and practitioner rows are apart: expectV3Rows). */
function expectEveryCell(allRows: Row[], cells: [string, number][], seeds: number[]) {
  const rows = trialsOf(allRows);
  expect(rows).toHaveLength(cells.length * seeds.length);
  for (const [model, m] of cells)
      for (const seed of seeds) {
        const row = rows.find((r) => r.model === model && r.m === m && r.seed === seed);
        expect(row, `${model} m=${m} seed=${seed}`).toBeDefined();
        if (row!.diverged === false) {
          expect(row!.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(row!.testAccuracy).toBeLessThanOrEqual(1);
          expect(row!.testError).toBeCloseTo(1 - (row!.testAccuracy as number), 12);
          expectProtocolFields(row!);
        }
      }
}

/**
 * The protocol's fields: a validation accuracy measured on other images than the test accuracy, and
 * (for models trained by gradient steps) a kept epoch that is one of the epochs actually run.
 */
function expectProtocolFields(row: Row) {
  expect(row.valAccuracy).toBeGreaterThanOrEqual(0);
  expect(row.valAccuracy).toBeLessThanOrEqual(1);
  expect(row.trainAccuracy).toBeGreaterThanOrEqual(0);
  expect(typeof row.hitCap).toBe('boolean');
  if ((row.epochsRun as number) > 0) {
    expect(row.keptEpoch).toBeGreaterThanOrEqual(1);
    expect(row.keptEpoch).toBeLessThanOrEqual(row.epochsRun as number);
    expect(row.valLoss).toBeGreaterThan(0);
  }
}

/** Validation and test sets are different images: over a whole experiment their accuracies cannot all agree. */
function expectValidationApartFromTest(allRows: Row[]) {
  const rows = trialsOf(allRows);
  const differing = rows.filter((r) => r.diverged === false && r.valAccuracy !== r.testAccuracy);
  expect(differing.length).toBeGreaterThan(rows.length / 2);
}

/**
 * Protocol v3's fields in a tuned trial grid: every trial of a tuned model carries the setting its
 * tuning unit chose, from inside the grid, with its edge flags; every cell has tuning rows for each
 * grid setting at the first rung, and exactly one setting advanced out of the last rung; a stopping
 * check at each size it names, for each model and seed; best-so-far validation accuracy never below the
 * final epoch's (the check's longer patience keeps at least what the rule kept on validation).
 */
function expectTunedGrid(allRows: Row[], grid: { learningRates: number[]; l2: (number | null)[] }, sensitivitySizes: number[]) {
  const trials = trialsOf(allRows).filter((r) => r.learningRate !== undefined);
  expect(trials.length).toBeGreaterThan(0);
  for (const row of trials) {
    expect(grid.learningRates, `${row.model} m=${row.m}`).toContain(row.learningRate);
    expect(typeof row.learningRateAtEdge).toBe('boolean');
    if (row.l2 !== undefined && row.l2 !== null) expect(grid.l2).toContain(row.l2);
  }
  const tuning = allRows.filter((r) => r.kind === 'tuning');
  const cells = new Set(trials.map((r) => `${r.model}/${r.m}`));
  for (const cell of cells) {
    const rungs = tuning.filter((r) => `${r.model}/${r.m}` === cell);
    expect(rungs.length, `${cell}: tuning rows`).toBeGreaterThanOrEqual(grid.learningRates.length * grid.l2.length);
    const firstRung = Math.min(...rungs.map((r) => r.rung as number));
    expect(rungs.filter((r) => r.rung === firstRung)).toHaveLength(grid.learningRates.length * grid.l2.length);
    // The chosen setting is one tuning tried, and every seed of the cell trained it.
    const chosen = new Set(trials.filter((r) => `${r.model}/${r.m}` === cell).map((r) => `${r.learningRate}/${r.l2 ?? null}`));
    expect(chosen.size, `${cell}: one setting for every seed`).toBe(1);
    expect(rungs.map((r) => `${r.learningRate}/${r.l2}`)).toContain([...chosen][0]);
  }
  const checks = allRows.filter((r) => r.kind === 'stopping');
  for (const m of sensitivitySizes) {
    const trialsAtM = trials.filter((r) => r.m === m);
    expect(checks.filter((r) => r.m === m), `stopping checks at m=${m}`).toHaveLength(trialsAtM.length);
    for (const check of checks.filter((r) => r.m === m)) {
      const trial = trialsAtM.find((r) => r.model === check.model && r.seed === check.seed)!;
      // The rule's side of the check is the plain trial itself.
      expect(check.ruleTestAccuracy).toBe(trial.testAccuracy);
      expect(check.ruleKeptEpoch).toBe(trial.keptEpoch);
      expect(check.valAccuracy as number).toBeGreaterThanOrEqual(check.ruleValAccuracy as number);
      expect(check.epochsRun as number).toBeGreaterThanOrEqual(trial.epochsRun as number);
    }
  }
}

describe('scale (smoke)', () => {
  let result: ResultFile;
  beforeAll(async () => {
    result = await smokeRun(scale, backend);
  }, 600_000);

  it('has every model × size × seed, with accuracies in [0, 1] and the protocol fields', () => {
    const c = scale.configs.smoke;
    expectEveryCell(result.rows, cellsOf(c.models, c.sizes), c.seeds);
    expectValidationApartFromTest(result.rows);
  });

  it('trains the exact kernel SVM up to its largest affordable size, with a γ chosen on validation', () => {
    const svm = scale.configs.smoke.models.find((m) => m.name === 'svm-rbf')!;
    const rows = trialsOf(result.rows).filter((r) => r.model === 'svm-rbf');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.m as number).toBeLessThanOrEqual(svm.maxM!);
      expect(row.architecture).toMatch(/γ 0\.0\d/);
      expect(row.testAccuracy).toBeGreaterThan(0.5);
    }
  });

  it('computes its fits, each with r², and its means from the rows', () => {
    const from = scale.configs.smoke.fitFrom!;
    for (const { name } of scale.configs.smoke.models.filter((m) => !m.maxM)) {
      expect(result.summary[`fit.${name}.exponent`]).toBeCloseTo(errorPowerLaw(trialsOf(result.rows), name, from)!.exponent, 12);
      expect(result.summary[`fit.${name}.r2`]).toBeGreaterThanOrEqual(0);
      expect(result.summary[`fit.${name}.r2`]).toBeLessThanOrEqual(1);
      expect(result.summary[`accuracy.${name}.largest`]).toBeCloseTo(meanAccuracy(trialsOf(result.rows), name, 400), 12);
      expect(result.summary[`gap.${name}.largest`]).toBeCloseTo(result.summary[`trainAccuracy.${name}.largest`]! - result.summary[`accuracy.${name}.largest`]!, 12);
    }
  });

  it('fits the power law with an irreducible error that never beats the lowest error seen', () => {
    const fit = fitPowerLawWithFloor(
      [100, 200, 400, 800, 1600].map((m) => ({ m, error: 0.05 + 2 * m ** -0.5 })),
    )!;
    expect(fit.floor).toBeGreaterThan(0.03);
    expect(fit.floor).toBeLessThan(0.06);
    expect(fit.exponent).toBeCloseTo(-0.5, 1);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it('carries its literature figures with citations', () => {
    expect(result.references.length).toBeGreaterThan(0);
    for (const ref of result.references) expect(ref.citation).toMatch(/\d{4}/);
  });
});

describe('small-data (smoke)', () => {
  let result: ResultFile;
  beforeAll(async () => {
    result = await smokeRun(smallData, backend);
  }, 600_000);

  it('has every model × size × seed, trained by the protocol', () => {
    const c = smallData.configs.smoke;
    expectEveryCell(result.rows, cellsOf(c.models, c.sizes), c.seeds);
    expectValidationApartFromTest(result.rows);
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
  it('covers every width × size × seed and reports the best width per size', { timeout: 600_000 }, async () => {
    const result = await smokeRun(modelSize, backend);
    const c = modelSize.configs.smoke;
    expectEveryCell(result.rows, cellsOf(c.widths.map((w) => ({ name: `width-${w}` })), c.sizes), c.seeds);
    for (const m of c.sizes) expect(c.widths).toContain(result.summary[`bestWidth.${m}`]);
    // Parameters grow with width w: 784·w weights and w biases in, 10·w weights and 10 biases out.
    for (const row of trialsOf(result.rows)) expect(row.params).toBe((784 + 1 + 10) * (row.width as number) + 10);
    expectTunedGrid(result.rows, c.tuning!.grid, c.tuning!.sensitivity!.sizes);
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
