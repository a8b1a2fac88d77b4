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

  const units = c.contenders.reduce((n, contender) => n + contender.rates.length, 0) * c.depths.length * c.seeds.length;

  it('sweeps every rate: an epoch row for every contender, depth, rate, seed and epoch, measured on validation', () => {
    expect(c.contenders.map((x) => x.name)).toEqual(['sigmoid', 'tanh', 'relu', 'relu-he']);
    for (const { name, rates } of c.contenders)
      for (const depth of c.depths)
        for (const rate of rates)
          for (const seed of c.seeds)
            for (let epoch = 1; epoch <= c.epochs; epoch++) {
              const row = result.rows.find((r) => r.kind === 'epoch' && r.contender === name && r.depth === depth && r.rate === rate && r.seed === seed && r.epoch === epoch);
              expect(row, `${name} depth ${depth} lr ${rate} seed ${seed} epoch ${epoch}`).toBeDefined();
              expect(row!.valAccuracy).toBeGreaterThanOrEqual(0);
              expect(row!.valAccuracy).toBeLessThanOrEqual(1);
              // Targets are read from validation accuracy; the test set is scored only once, at the end.
              expect(row!.testAccuracy).toBeUndefined();
            }
  });

  it("runs ReLU with He initialisation as a contender of its own, beside ReLU with Glorot's", () => {
    const he = result.rows.filter((r) => r.kind === 'epoch' && r.contender === 'relu-he');
    expect(he.length).toBeGreaterThan(0);
    expect(he.every((r) => r.activation === 'relu' && r.init === 'he')).toBe(true);
    expect(result.rows.filter((r) => r.kind === 'epoch' && r.contender === 'relu').every((r) => r.init === 'glorot')).toBe(true);
    for (const depth of c.depths) expect(result.summary[`valAccuracy.best.relu-he.${depth}`]).toBeDefined();
  });

  it('chooses each best rate on best-so-far validation accuracy, never the last epoch, and compares at the best and the shared rate', () => {
    for (const { name, rates } of c.contenders)
      for (const depth of c.depths) {
        const best = result.summary[`bestRate.${name}.${depth}`]!;
        expect(rates).toContain(best);
        const sweep = rates.map((rate) => result.summary[`sweep.${name}.${depth}.${rate}`]!);
        expect(result.summary[`valAccuracy.best.${name}.${depth}`]).toBe(Math.max(...sweep));
        expect(result.summary[`valAccuracy.shared.${name}.${depth}`]).toBe(result.summary[`sweep.${name}.${depth}.${c.sharedRate}`]);
        // Best-so-far is each seed's peak over its epochs: never below its last epoch.
        for (const setting of ['best', 'shared'])
          expect(result.summary[`valAccuracy.${setting}.${name}.${depth}`]).toBeGreaterThanOrEqual(result.summary[`lastEpochValAccuracy.${setting}.${name}.${depth}`]!);
        for (const rate of rates)
          for (const seed of c.seeds) {
            const curve = result.rows.filter((r) => r.kind === 'epoch' && r.contender === name && r.depth === depth && r.rate === rate && r.seed === seed).map((r) => r.valAccuracy as number);
            expect(Math.max(...curve)).toBeGreaterThanOrEqual(curve.at(-1)!);
          }
      }
    for (const depth of c.depths) expect([0, 1]).toContain(result.summary[`separated.best.relu-he-vs-relu.${depth}`]);
  });

  it('records a finite per-weight gradient size for every layer at initialisation and after training', () => {
    for (const { name } of c.contenders)
      for (const depth of c.depths)
        for (const epoch of [0, c.epochs]) {
          const layers = result.rows.filter((r) => r.kind === 'gradient' && r.contender === name && r.depth === depth && r.rate === c.sharedRate && r.seed === c.seeds[0] && r.epoch === epoch);
          expect(layers.map((r) => r.layer)).toEqual(Array.from({ length: depth + 1 }, (_, i) => i + 1));
          for (const r of layers) {
            expect(Number.isFinite(r.gradientRms)).toBe(true);
            expect(r.gradientRms).toBeGreaterThanOrEqual(0);
          }
        }
  });

  it('records the backward signal ∂ℓ/∂z and the activation RMS of every hidden layer, finite, at initialisation and after training', () => {
    for (const { name, rates } of c.contenders)
      for (const depth of c.depths)
        for (const rate of rates)
          for (const epoch of [0, 1, c.epochs]) {
            const layers = result.rows.filter((r) => r.kind === 'signal' && r.contender === name && r.depth === depth && r.rate === rate && r.seed === c.seeds[0] && r.epoch === epoch);
            expect(layers.map((r) => r.layer), `${name} depth ${depth} lr ${rate} epoch ${epoch}`).toEqual(Array.from({ length: depth }, (_, i) => i + 1));
            for (const r of layers) {
              expect(Number.isFinite(r.backwardRms)).toBe(true);
              expect(Number.isFinite(r.activationRms)).toBe(true);
              expect(r.backwardRms).toBeGreaterThan(0);
              expect(r.activationRms).toBeGreaterThan(0);
            }
          }
    for (const { name } of c.contenders)
      for (const depth of c.depths)
        for (let layer = 1; layer <= depth; layer++) {
          expect(Number.isFinite(result.summary[`backwardRms.init.${name}.${depth}.${layer}`])).toBe(true);
          expect(Number.isFinite(result.summary[`activationRms.init.${name}.${depth}.${layer}`])).toBe(true);
        }
  });

  it('has a timing for every epoch, a test accuracy per run, and the analytic curves', () => {
    expect(result.timings).toHaveLength(units * c.epochs);
    expect(result.rows.filter((r) => r.kind === 'final')).toHaveLength(units);
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
  it("records every epoch on validation, for the sigmoid and tanh alike, and each hidden layer's mean activation, gradient and signals when probed", { timeout: 600_000 }, async () => {
    const result = await runExperiment(saturation, { profile: 'smoke', backend });
    const c = saturation.configs.smoke;
    expect(c.runs.map((r) => r.activation)).toEqual(['sigmoid', 'tanh']);
    for (const { activation, rates } of c.runs)
      for (const rate of rates) {
        const where = (r: (typeof result.rows)[number]) => r.activation === activation && r.rate === rate && r.seed === c.seeds[0];
        const curve = result.rows.filter((r) => r.kind === 'epoch' && where(r));
        expect(curve).toHaveLength(c.epochs);
        const top = result.rows.filter((r) => r.kind === 'activation' && where(r) && r.layer === c.depth);
        expect(top.map((r) => r.epoch)).toEqual([0, ...Array.from({ length: c.epochs }, (_, i) => i + 1)]);
        // A sigmoid's output, and so its mean, lies in (0, 1); tanh's in (−1, 1).
        for (const r of top) expect(r.meanActivation as number).toBeGreaterThan(activation === 'sigmoid' ? 0 : -1), expect(r.meanActivation as number).toBeLessThan(1);
        for (const epoch of [0, c.epochs]) {
          const signals = result.rows.filter((r) => r.kind === 'signal' && where(r) && r.epoch === epoch);
          expect(signals.map((r) => r.layer)).toEqual(Array.from({ length: c.depth }, (_, i) => i + 1));
          for (const r of signals) expect(Number.isFinite(r.backwardRms) && Number.isFinite(r.activationRms)).toBe(true);
        }
        const key = `${activation}.${rate}`;
        // Best-so-far, never below the last epoch.
        expect(result.summary[`bestValAccuracy.${key}`]).toBe(Math.max(...curve.map((r) => r.valAccuracy as number)));
        expect(result.summary[`bestValAccuracy.${key}`]).toBeGreaterThanOrEqual(result.summary[`lastValAccuracy.${key}`]!);
        expect(Number.isFinite(result.summary[`backwardRatio.init.${key}`])).toBe(true);
      }
    expect([0, 1]).toContain(result.summary['separated.tanh-vs-sigmoid']);
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
      // Read best-so-far, never at the last epoch.
      expect(result.summary[`valAccuracy.${name}`]).toBeGreaterThanOrEqual(result.summary[`lastEpochValAccuracy.${name}`]!);
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
