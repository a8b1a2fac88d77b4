/**
 * One trial, the unit most experiments are made of, under the protocol (protocol.ts): draw m
 * training images from the pool with a seed, build a model, train it to convergence by the stopping
 * rule on the validation set, then score it once on the test images. Shared so every experiment
 * samples, seeds, stops and scores the same way.
 */
import type { UnitResult } from './experiment.ts';
import { exactRbfSvm } from './kernel-svm.ts';
import { headOfSplit, loadMnist, mnistDirectory, sampleSplit, type Split } from './mnist.ts';
import { describeModel, modelInputs, type ModelSpec, type OptimizerSpec } from './models.ts';
import { carveValidation, trainTrial, VALIDATION_SIZE, type ProtocolSplits, type TrialOutcome, type TrialSpec } from './protocol.ts';
import { createRng, deriveSeed } from './random.ts';
import { expectedSamples, samplePrice, type NamedModel, type Training } from './zoo.ts';

export type { TrialOutcome, TrialSpec } from './protocol.ts';

let splits: { directory: string; splits: ProtocolSplits } | undefined;
/** The validation set and the pool, carved once per process (again if MNIST_DIR points elsewhere). */
export function protocolSplits(): ProtocolSplits {
  const mnist = loadMnist();
  if (splits?.directory !== mnist.directory) splits = { directory: mnist.directory, splits: carveValidation(mnist.train) };
  return splits.splits;
}

/** The training subset of a trial: depends on (seed, m) only, so every model at a seed sees the same images. */
export function trialSubset(m: number, seed: number): Split {
  const what = `m = ${m}: the training pool (MNIST's training images in ${mnistDirectory()}, less the ${VALIDATION_SIZE.toLocaleString('en-US')} carved for validation)`;
  return sampleSplit(protocolSplits().pool, m, createRng(deriveSeed(seed, 'sample', m)), what);
}

/** The first `size` test images, the set every trial is scored on once. */
export function testHead(size: number): Split {
  return headOfSplit(loadMnist().test, size, `the test set (MNIST's test images in ${mnistDirectory()})`);
}

const evaluationInputs = new Map<string, Promise<Float32Array>>();
/**
 * A model's inputs for the validation or test set, computed once per process: they depend on the
 * model's input transform only (random Fourier features cost a 784×D product per image).
 */
function inputsOnce(spec: ModelSpec, name: 'validation' | 'test', split: Split): Promise<Float32Array> {
  const key = `${JSON.stringify(spec)}/${name}/${split.count}/${loadMnist().directory}`;
  let inputs = evaluationInputs.get(key);
  if (!inputs) evaluationInputs.set(key, (inputs = modelInputs(spec, split)));
  return inputs;
}

export async function runTrial(trial: TrialSpec): Promise<TrialOutcome> {
  const { validation } = protocolSplits();
  const trainSet = trialSubset(trial.m, trial.seed);
  const testSet = testHead(trial.testSize);
  if (trial.spec.kind === 'rbf-svm') {
    const svm = await exactRbfSvm(trainSet, validation, testSet, trial.spec.gammas, trial.spec.cost);
    return {
      architecture: `${describeModel(trial.spec)}: γ ${svm.gamma}`,
      // A kernel machine has no fixed parameter count: it keeps its support vectors (recorded here).
      params: svm.supportVectors,
      trainAccuracy: svm.trainAccuracy,
      valAccuracy: svm.valAccuracy,
      testAccuracy: svm.testAccuracy,
      testError: 1 - svm.testAccuracy,
      trainLoss: null,
      valLoss: null,
      keptEpoch: 0,
      epochsRun: 0,
      steps: 0,
      hitCap: false,
      diverged: false,
      trainSeconds: svm.trainSeconds,
    };
  }
  return trainTrial(trial, trainSet, {
    validation,
    validationInputs: await inputsOnce(trial.spec, 'validation', validation),
    test: testSet,
    testInputs: await inputsOnce(trial.spec, 'test', testSet),
  });
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
 * The grid most experiments are: every named model × training-set size × seed, one trial each
 * (a model with a `maxM` only up to that size). An experiment spreads these into its definition and
 * adds its own configs and summary.
 */
export interface TrialGridConfig extends Training {
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
  /** A trial reads its model, m and seed from its unit: these only list the grid. */
  gridFields: ['models', 'sizes', 'seeds'] as const,

  units(config: TrialGridConfig): TrialGridUnit[] {
    return config.models.flatMap((model) =>
      config.sizes
        .filter((m) => m <= (model.maxM ?? Infinity))
        .flatMap((m) => config.seeds.map((seed) => ({ key: `${model.name}/m=${m}/seed=${seed}`, model, m, seed }))),
    );
  },

  cost({ model, m }: TrialGridUnit, config: TrialGridConfig): number {
    // libsvm's cost grows with m² (kernel rows) for each γ tried, plus the predictions.
    if (model.spec.kind === 'rbf-svm') return model.spec.gammas.length * (m * m) / 20 + m * (config.testSize + 5000) / 2;
    return (expectedSamples(config, m) + 12 * 5000 / 3 + config.testSize) * samplePrice(model.spec);
  },

  async runUnit({ model, m, seed }: TrialGridUnit, config: TrialGridConfig): Promise<UnitResult> {
    const { trainSeconds, ...outcome } = await runTrial({
      model: model.name,
      spec: model.spec,
      optimizer: config.optimizer,
      m,
      seed,
      batchSize: config.batchSize,
      stopping: config.stopping,
      testSize: config.testSize,
    });
    return {
      rows: [{ model: model.name, label: model.label, m, seed, ...outcome }],
      timings: [{ model: model.name, m, seed, trainSeconds }],
    };
  },
};
