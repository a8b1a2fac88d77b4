import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import { runExperiment } from '../../experiments/lib/runner.ts';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { trialsOf } from '../../experiments/lib/schema.ts';
import { gridFor, settingsOf } from '../../experiments/lib/tuning.ts';
import { smokeRun } from '../support/smoke.ts';

let backend: BackendChoice;
let first: ResultFile;

beforeAll(async () => {
  backend = await selectBackend('wasm');
  // Possibly from the shared cache; the determinism test below trains again, without it.
  first = await smokeRun(scale, backend);
}, 600_000);

describe('scale at the smoke profile', () => {
  it('trains real models: every cell present for every seed, accuracies in [0, 1]', () => {
    const config = scale.configs.smoke;
    const cells = config.models.flatMap((model) => config.sizes.filter((m) => m <= (model.maxM ?? Infinity)).map((m) => ({ model, m })));
    expect(trialsOf(first.rows)).toHaveLength(cells.length * config.seeds.length);
    for (const { model, m } of cells)
        for (const seed of config.seeds) {
          const row = trialsOf(first.rows).find((r) => r.model === model.name && r.m === m && r.seed === seed);
          expect(row, `${model.name} m=${m} seed=${seed}`).toBeDefined();
          expect(row!.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(row!.testAccuracy).toBeLessThanOrEqual(1);
        }
    // Trained, not guessing: ten classes give 10% by chance.
    const best = Math.max(...trialsOf(first.rows).map((r) => r.testAccuracy as number));
    expect(best).toBeGreaterThan(0.5);
  });

  it('is deterministic: the same profile, seeds and backend give identical rows', { timeout: 600_000 }, async () => {
    // Trained again, without the cache: a linear model and a network at two seeds (the whole profile
    // again cost 40 s and taught nothing more); each row must be the one the first run gave.
    const smoke = scale.configs.smoke;
    const some = { ...scale, configs: { ...scale.configs, smoke: { ...smoke, models: [smoke.models[0]!, smoke.models[2]!], sizes: [smoke.sizes[0]!], practitioner: undefined } } };
    const second = await runExperiment(some, { profile: 'smoke', backend });
    expect(trialsOf(second.rows)).toHaveLength(2 * smoke.seeds.length);
    for (const row of second.rows) expect(first.rows).toContainEqual(row);
  });

  it('records the backend and seeds in its provenance', () => {
    expect(first.provenance.backend).toBe('wasm');
    expect(first.provenance.seeds).toEqual(scale.configs.smoke.seeds);
  });

  it('computes its summary from the rows', () => {
    const largest = Math.max(...scale.configs.smoke.sizes);
    const logistic = trialsOf(first.rows).filter((r) => r.model === 'logistic' && r.m === largest).map((r) => r.testAccuracy as number);
    const mean = logistic.reduce((a, b) => a + b, 0) / logistic.length;
    expect(first.summary['accuracy.logistic.largest']).toBeCloseTo(mean, 12);
    expect(first.summary['fit.logistic.exponent']).toBeLessThan(0); // error falls as data grows
  });

  it('tunes each model per size on its first seed’s data, inside the grid, and trains that setting on every seed', () => {
    const config = scale.configs.smoke;
    for (const model of config.models.filter((m) => m.spec.kind !== 'rbf-svm'))
      for (const m of config.sizes) {
        // Each model over its family's grid (the smoke plan gives the linear models one of their own).
        const inGrid = settingsOf(gridFor(config.tuning!, model.spec));
        const rungs = first.rows.filter((r) => r.kind === 'tuning' && r.model === model.name && r.m === m);
        expect(rungs.filter((r) => r.rung === 0), `${model.name} m=${m}`).toHaveLength(inGrid.length);
        const last = Math.max(...rungs.map((r) => r.rung as number));
        const [chosen, ...others] = rungs.filter((r) => r.rung === last && r.advanced);
        expect(others).toEqual([]);
        expect(inGrid).toContainEqual({ learningRate: chosen!.learningRate, l2: chosen!.l2 });
        const trials = trialsOf(first.rows).filter((r) => r.model === model.name && r.m === m);
        expect(trials).toHaveLength(config.seeds.length);
        for (const row of trials) {
          expect([row.learningRate, row.l2]).toEqual([chosen!.learningRate, chosen!.l2]);
          expect(typeof row.learningRateAtEdge).toBe('boolean');
        }
        // Best so far: the first seed's trial of the chosen setting keeps at least what its last rung saw.
        const firstSeed = trials.find((r) => r.seed === config.seeds[0])!;
        expect(firstSeed.valAccuracy as number).toBeGreaterThanOrEqual(chosen!.valAccuracy as number);
        expect(first.summary[`tuned.${model.name}.${m}.learningRate`]).toBe(chosen!.learningRate);
      }
  });

  it('checks its stopping rule with a doubled patience at the stated sizes: at least as far, never worse on validation', () => {
    const config = scale.configs.smoke;
    const [m] = config.tuning!.sensitivity!.sizes;
    const checks = first.rows.filter((r) => r.kind === 'stopping');
    expect(checks.length).toBe(trialsOf(first.rows).filter((r) => r.m === m && r.model !== 'svm-rbf').length);
    for (const row of checks) {
      expect(row.m).toBe(m);
      expect(row.keptEpoch as number).toBeGreaterThanOrEqual(row.ruleKeptEpoch as number);
      expect(row.valAccuracy as number).toBeGreaterThanOrEqual(row.ruleValAccuracy as number);
      const trial = trialsOf(first.rows).find((r) => r.model === row.model && r.m === m && r.seed === row.seed)!;
      expect(row.ruleTestAccuracy).toBe(trial.testAccuracy);
    }
    expect(first.summary[`stopping.${m}.largestShift`]).toBeGreaterThanOrEqual(0);
  });

  it('at the practitioner sizes, runs every model again on its own m labels and reports what the validation images were worth', () => {
    const config = scale.configs.smoke;
    const own = first.rows.filter((r) => r.kind === 'practitioner');
    const [m] = config.practitioner!.sizes;
    expect(own).toHaveLength(config.models.length * config.seeds.length);
    for (const row of own) {
      expect(row.m).toBe(m);
      expect(row.labelledImages).toBe(m);
      expect(row.heldOut as number).toBeGreaterThan(0);
      expect(row.heldOut as number).toBeLessThan(m!);
    }
    expect(first.summary[`ownLabels.logistic.${m}.change`]).toBeTypeOf('number');
  });
});
