/**
 * One trial, the unit most experiments are made of: draw m training images with a seed, build a
 * model, train it, score it on the test images. Shared so every experiment samples, seeds and scores
 * the same way.
 */
import { headOfSplit, loadMnist, sampleSplit } from './mnist.ts';
import { buildModel, describeModel, modelInputs, type ModelSpec, type OptimizerSpec } from './models.ts';
import { createRng, deriveSeed } from './random.ts';
import type { UnitResult } from './experiment.ts';
import { accuracy, train } from './train.ts';
import { epochsFor, samplePrice, type NamedModel, type Schedule } from './zoo.ts';

export interface TrialSpec {
  /** Stable model id; it also separates the seeds of different models. */
  model: string;
  spec: ModelSpec;
  optimizer: OptimizerSpec;
  m: number;
  seed: number;
  epochs: number;
  batchSize: number;
  testSize: number;
}

export interface TrialOutcome {
  architecture: string;
  params: number;
  epochs: number;
  steps: number;
  testAccuracy: number | null;
  testError: number | null;
  trainAccuracy: number | null;
  finalLoss: number | null;
  diverged: boolean;
  trainSeconds: number;
}

export async function runTrial(trial: TrialSpec): Promise<TrialOutcome> {
  const mnist = loadMnist();
  // The subset depends on (seed, m) only, so every model at the same seed sees the same images.
  const trainSet = sampleSplit(mnist.train, trial.m, createRng(deriveSeed(trial.seed, 'sample', trial.m)));
  const testSet = headOfSplit(mnist.test, trial.testSize);
  const model = buildModel(trial.spec, trial.optimizer, deriveSeed(trial.seed, 'init', trial.model));
  const inputs = modelInputs(trial.spec, trainSet);
  const started = performance.now();
  const outcome = await train(model, trainSet, {
    epochs: trial.epochs,
    batchSize: trial.batchSize,
    rng: createRng(deriveSeed(trial.seed, 'batches', trial.m)),
    inputs,
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const testAccuracy = outcome.diverged ? null : accuracy(model, testSet, modelInputs(trial.spec, testSet));
  const result: TrialOutcome = {
    architecture: describeModel(trial.spec),
    params: model.countParams(),
    epochs: trial.epochs,
    steps: outcome.steps,
    testAccuracy,
    testError: testAccuracy === null ? null : 1 - testAccuracy,
    trainAccuracy: outcome.diverged ? null : accuracy(model, trainSet, inputs),
    finalLoss: outcome.diverged ? null : outcome.finalLoss,
    diverged: outcome.diverged,
    trainSeconds,
  };
  model.dispose();
  return result;
}

/** Mean of the numeric values of `field` over rows matching `where`; NaN when there are none. */
export function meanOf<R extends Record<string, unknown>>(rows: R[], field: keyof R, where: (row: R) => boolean): number {
  const values: number[] = [];
  for (const row of rows) {
    const value = row[field];
    if (where(row) && typeof value === 'number') values.push(value);
  }
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/**
 * The grid most experiments are: every named model × training-set size × seed, one trial each.
 * An experiment spreads these into its definition and adds its own configs and summary.
 */
export interface TrialGridConfig extends Schedule {
  models: NamedModel[];
  sizes: number[];
  seeds: number[];
  testSize: number;
  optimizer: OptimizerSpec;
}

export interface TrialGridUnit {
  key: string;
  model: NamedModel;
  m: number;
  seed: number;
}

export const trialGrid = {
  units(config: TrialGridConfig): TrialGridUnit[] {
    return config.models.flatMap((model) =>
      config.sizes.flatMap((m) => config.seeds.map((seed) => ({ key: `${model.name}/m=${m}/seed=${seed}`, model, m, seed }))),
    );
  },

  cost({ model, m }: TrialGridUnit, config: TrialGridConfig): number {
    return (epochsFor(config, m) * m + config.testSize) * samplePrice(model.spec);
  },

  async runUnit({ model, m, seed }: TrialGridUnit, config: TrialGridConfig): Promise<UnitResult> {
    const { trainSeconds, ...outcome } = await runTrial({
      model: model.name,
      spec: model.spec,
      optimizer: config.optimizer,
      m,
      seed,
      epochs: epochsFor(config, m),
      batchSize: config.batchSize,
      testSize: config.testSize,
    });
    return {
      rows: [{ model: model.name, label: model.label, m, seed, ...outcome }],
      timings: [{ model: model.name, m, seed, trainSeconds }],
    };
  },
};
