/** activations, optimizers and compute at the smoke profile: shape, cells, gradients, formulas. */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import { runExperiment } from '../../experiments/lib/runner.ts';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { ACTIVATION_FUNCTIONS, activations } from '../../experiments/suite/activations.ts';
import { compute } from '../../experiments/suite/compute.ts';
import { optimizers } from '../../experiments/suite/optimizers.ts';
import { saturation } from '../../experiments/suite/saturation.ts';

let backend: BackendChoice;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

describe('activations (smoke)', () => {
  let result: ResultFile;
  beforeAll(async () => {
    result = await runExperiment(activations, { profile: 'smoke', backend });
  }, 600_000);
  const c = activations.configs.smoke;

  it('sweeps every rate: an epoch row for every activation, depth, rate, seed and epoch, measured on validation', () => {
    expect(c.rates.length).toBeGreaterThanOrEqual(2);
    for (const activation of c.activations)
      for (const depth of c.depths)
        for (const rate of c.rates)
          for (const seed of c.seeds)
            for (let epoch = 1; epoch <= c.epochs; epoch++) {
              const row = result.rows.find(
                (r) => r.kind === 'epoch' && r.activation === activation && r.depth === depth && r.rate === rate && r.seed === seed && r.epoch === epoch,
              );
              expect(row, `${activation} depth ${depth} lr ${rate} seed ${seed} epoch ${epoch}`).toBeDefined();
              expect(row!.valAccuracy).toBeGreaterThanOrEqual(0);
              expect(row!.valAccuracy).toBeLessThanOrEqual(1);
              // Targets are read from validation accuracy; the test set is scored only once, at the end.
              expect(row!.testAccuracy).toBeUndefined();
            }
  });

  it('chooses each best rate from the sweep on validation, and compares at the best and the shared rate', () => {
    for (const activation of c.activations)
      for (const depth of c.depths) {
        const best = result.summary[`bestRate.${activation}.${depth}`]!;
        expect(c.rates).toContain(best);
        const sweep = c.rates.map((rate) => result.summary[`sweep.${activation}.${depth}.${rate}`]!);
        expect(result.summary[`valAccuracy.best.${activation}.${depth}`]).toBe(Math.max(...sweep));
        expect(result.summary[`valAccuracy.shared.${activation}.${depth}`]).toBe(result.summary[`sweep.${activation}.${depth}.${c.sharedRate}`]);
      }
  });

  it('records a finite per-weight gradient size for every layer at initialisation and after training', () => {
    for (const activation of c.activations)
      for (const depth of c.depths)
        for (const epoch of [0, c.epochs]) {
          const layers = result.rows.filter((r) => r.kind === 'gradient' && r.activation === activation && r.depth === depth && r.rate === c.sharedRate && r.seed === c.seeds[0] && r.epoch === epoch);
          expect(layers.map((r) => r.layer)).toEqual(Array.from({ length: depth + 1 }, (_, i) => i + 1));
          for (const r of layers) {
            expect(Number.isFinite(r.gradientRms)).toBe(true);
            expect(r.gradientRms).toBeGreaterThanOrEqual(0);
          }
        }
  });

  it('has a timing for every epoch, a test accuracy per run, and the analytic curves', () => {
    expect(result.timings).toHaveLength(c.activations.length * c.depths.length * c.rates.length * c.seeds.length * c.epochs);
    expect(result.rows.filter((r) => r.kind === 'final')).toHaveLength(c.activations.length * c.depths.length * c.rates.length * c.seeds.length);
    expect(result.rows.filter((r) => r.kind === 'curve')).toHaveLength(3 * 121);
  });
});

describe('activation derivatives', () => {
  it.each(['sigmoid', 'tanh', 'relu'] as const)('%s: the derivative agrees with a finite difference of the function', (name) => {
    const { f, df } = ACTIVATION_FUNCTIONS[name];
    for (const x of [-5, -2.5, -1, -0.3, 0.3, 1, 2.5, 5]) {
      const h = 1e-5;
      expect(df(x)).toBeCloseTo((f(x + h) - f(x - h)) / (2 * h), 6);
    }
  });

  it('the sigmoid derivative peaks at 1/4, which is why stacked sigmoids shrink gradients', () => {
    expect(ACTIVATION_FUNCTIONS.sigmoid.df(0)).toBeCloseTo(0.25, 12);
    expect(ACTIVATION_FUNCTIONS.relu.df(3)).toBe(1);
  });
});

describe('saturation (smoke)', () => {
  it('records every epoch on validation and each hidden layer\'s mean activation and gradient when probed', { timeout: 600_000 }, async () => {
    const result = await runExperiment(saturation, { profile: 'smoke', backend });
    const c = saturation.configs.smoke;
    for (const rate of c.rates) {
      expect(result.rows.filter((r) => r.kind === 'epoch' && r.rate === rate)).toHaveLength(c.epochs);
      const top = result.rows.filter((r) => r.kind === 'activation' && r.rate === rate && r.layer === c.depth);
      expect(top.map((r) => r.epoch)).toEqual([0, ...Array.from({ length: c.epochs }, (_, i) => i + 1)]);
      // A sigmoid's output, and so its mean, lies in (0, 1).
      for (const r of top) expect(r.meanActivation as number).toBeGreaterThan(0), expect(r.meanActivation as number).toBeLessThan(1);
      expect(result.summary[`finalValAccuracy.${rate}`]).toBe(result.rows.filter((r) => r.kind === 'epoch' && r.rate === rate).at(-1)!.valAccuracy);
    }
  });
});

describe('optimizers (smoke)', () => {
  it("sweeps each optimiser's rates, measures every epoch on validation and picks each best rate there", { timeout: 600_000 }, async () => {
    const result = await runExperiment(optimizers, { profile: 'smoke', backend });
    const c = optimizers.configs.smoke;
    for (const { name, rates } of c.optimizers) {
      for (const rate of rates)
        for (const seed of c.seeds)
          for (let epoch = 1; epoch <= c.epochs; epoch++) {
            const row = result.rows.find((r) => r.kind === 'epoch' && r.optimizer === name && r.rate === rate && r.seed === seed && r.epoch === epoch);
            expect(row, `${name} lr ${rate} seed ${seed} epoch ${epoch}`).toBeDefined();
            expect(row!.valAccuracy).toBeGreaterThanOrEqual(0);
            expect(row!.valAccuracy).toBeLessThanOrEqual(1);
            expect(row!.testAccuracy).toBeUndefined();
          }
      expect(rates).toContain(result.summary[`bestRate.${name}`]);
      expect(result.summary[`valAccuracy.${name}`]).toBe(Math.max(...rates.map((rate) => result.summary[`sweep.${name}.${rate}`]!)));
    }
    expect(result.timings.every((t) => typeof t.seconds === 'number' && t.seconds > 0)).toBe(true);
  });
});

describe('compute (smoke)', () => {
  it('measures the backends that exist and lists the others as not measured, never guessed', { timeout: 600_000 }, async () => {
    const result = await runExperiment(compute, { profile: 'smoke', backend });
    for (const row of result.rows.filter((r) => r.status === 'measured')) expect(row.hardware).toBe('cpu');
    const status = Object.fromEntries(result.rows.map((r) => [r.backend, r.status]));
    expect(status).toEqual({ wasm: 'measured', cpu: 'measured', tensorflow: 'not available' });
    expect(result.timings.map((t) => t.backend).sort()).toEqual(['cpu', 'wasm']);
    for (const t of result.timings) expect(t.samplesPerSecond).toBeGreaterThan(0);
    expect(result.notes.join(' ')).toMatch(/tensorflow: not measured on this machine/);
  });
});
