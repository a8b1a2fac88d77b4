/**
 * scale — the lecture's central chart, drawn with real data: test accuracy against the number of
 * labelled training images, for a traditional algorithm (logistic regression) and networks of
 * growing size, several seeds per cell.
 */
import { mean } from 'simple-statistics';
import type { Experiment } from '../lib/experiment.ts';
import { fitPowerLaw } from '../lib/fit.ts';
import { headOfSplit, loadMnist, sampleSplit } from '../lib/mnist.ts';
import { buildModel, describeModel, type ModelSpec, type OptimizerSpec } from '../lib/models.ts';
import { createRng, deriveSeed } from '../lib/random.ts';
import type { Row } from '../lib/schema.ts';
import { accuracy, train } from '../lib/train.ts';

export interface ScaleModel {
  /** Stable id used in rows, summary keys and chart legends. */
  name: string;
  label: string;
  spec: ModelSpec;
}

export interface ScaleConfig {
  /** Training-set sizes m, drawn at random (per seed) from the 60,000 MNIST training images. */
  sizes: number[];
  seeds: number[];
  /** How many of the 10,000 test images to score on (all of them beyond the smoke profile). */
  testSize: number;
  models: ScaleModel[];
  optimizer: OptimizerSpec;
  batchSize: number;
  /** Small sets get more epochs so that every model sees at least this many gradient steps… */
  minSteps: number;
  /** …up to this many epochs; large sets get at least `minEpochs`. */
  maxEpochs: number;
  minEpochs: number;
}

export interface ScaleUnit {
  key: string;
  model: ScaleModel;
  m: number;
  seed: number;
}

const logistic: ScaleModel = { name: 'logistic', label: 'Logistic regression', spec: { kind: 'logistic' } };
const small: ScaleModel = { name: 'nn-small', label: 'Small network (32)', spec: { kind: 'mlp', hidden: [32], activation: 'relu' } };
const medium: ScaleModel = { name: 'nn-medium', label: 'Medium network (256)', spec: { kind: 'mlp', hidden: [256], activation: 'relu' } };
const large: ScaleModel = {
  name: 'nn-large',
  label: 'Large network (512-512)',
  spec: { kind: 'mlp', hidden: [512, 512], activation: 'relu' },
};

const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };

export function epochsFor(config: ScaleConfig, m: number): number {
  const stepsPerEpoch = Math.ceil(m / Math.min(config.batchSize, m));
  return Math.min(config.maxEpochs, Math.max(config.minEpochs, Math.ceil(config.minSteps / stepsPerEpoch)));
}

export const scale: Experiment<ScaleConfig, ScaleUnit> = {
  id: 'scale',
  claim:
    'As labelled data grows, a traditional algorithm (logistic regression) levels off while larger neural networks keep improving.',
  configs: {
    smoke: {
      sizes: [100, 200, 400],
      seeds: [1, 2],
      testSize: 1000,
      models: [logistic, small],
      optimizer: adam,
      batchSize: 64,
      minSteps: 30,
      maxEpochs: 5,
      minEpochs: 1,
    },
    quick: {
      sizes: [100, 300, 1000, 3000, 10000, 30000, 60000],
      seeds: [1, 2],
      testSize: 10000,
      models: [logistic, small, medium, large],
      optimizer: adam,
      batchSize: 64,
      minSteps: 400,
      maxEpochs: 100,
      minEpochs: 2,
    },
    full: {
      sizes: [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000],
      seeds: [1, 2, 3],
      testSize: 10000,
      models: [logistic, small, medium, large],
      optimizer: adam,
      batchSize: 64,
      minSteps: 1500,
      maxEpochs: 300,
      minEpochs: 5,
    },
  },

  units(config) {
    return config.models.flatMap((model) =>
      config.sizes.flatMap((m) => config.seeds.map((seed) => ({ key: `${model.name}/m=${m}/seed=${seed}`, model, m, seed }))),
    );
  },

  cost({ model, m }, config) {
    // Samples seen × a rough per-sample price by model size (wider layers cost more per sample).
    const price = model.spec.kind === 'logistic' ? 1 : model.spec.kind === 'mlp' ? 1 + model.spec.hidden.reduce((a, b) => a + b, 0) / 64 : 40;
    return epochsFor(config, m) * m * price + 5000; // + evaluation on the test set
  },

  async runUnit({ model: entry, m, seed }, config) {
    const mnist = loadMnist();
    const trainSet = sampleSplit(mnist.train, m, createRng(deriveSeed(seed, 'sample', m)));
    const testSet = headOfSplit(mnist.test, config.testSize);
    const model = buildModel(entry.spec, config.optimizer, deriveSeed(seed, 'init', entry.name));
    const epochs = epochsFor(config, m);
    const started = performance.now();
    const outcome = await train(model, trainSet, { epochs, batchSize: config.batchSize, rng: createRng(deriveSeed(seed, 'batches', m)) });
    const trainSeconds = (performance.now() - started) / 1000;
    const testAccuracy = outcome.diverged ? null : accuracy(model, testSet);
    const trainAccuracy = outcome.diverged ? null : accuracy(model, trainSet);
    const row: Row = {
      model: entry.name,
      label: entry.label,
      architecture: describeModel(entry.spec),
      params: model.countParams(),
      m,
      seed,
      epochs,
      steps: outcome.steps,
      testAccuracy,
      testError: testAccuracy === null ? null : 1 - testAccuracy,
      trainAccuracy,
      finalLoss: outcome.diverged ? null : outcome.finalLoss,
      diverged: outcome.diverged,
    };
    model.dispose();
    return { rows: [row], timings: [{ model: entry.name, m, seed, trainSeconds }] };
  },

  summarize(config, rows) {
    const summary: Record<string, number> = {};
    const notes: string[] = [];
    const smallest = Math.min(...config.sizes);
    const largest = Math.max(...config.sizes);
    // The size nearest to a tenth of the largest: "what did the last tenfold increase in data buy?"
    const reference = [...config.sizes].sort((a, b) => a - b).filter((m) => m <= largest / 10).at(-1) ?? smallest;
    summary['m.smallest'] = smallest;
    summary['m.largest'] = largest;
    summary['m.reference'] = reference;
    summary['seeds'] = config.seeds.length;
    summary['testImages'] = config.testSize;
    const meanAccuracy = (model: string, m: number) => {
      const values = rows
        .filter((r) => r.model === model && r.m === m && typeof r.testAccuracy === 'number')
        .map((r) => r.testAccuracy as number);
      return values.length ? mean(values) : Number.NaN;
    };
    const diverged = rows.filter((r) => r.diverged === true).length;
    summary['diverged'] = diverged;
    if (diverged) notes.push(`${diverged} run(s) diverged (non-finite loss or weights); they are kept in the rows and left out of the means.`);
    for (const { name, label } of config.models) {
      const params = rows.find((r) => r.model === name)?.params;
      if (typeof params === 'number') summary[`params.${name}`] = params;
      summary[`accuracy.${name}.smallest`] = meanAccuracy(name, smallest);
      summary[`accuracy.${name}.largest`] = meanAccuracy(name, largest);
      summary[`gain.${name}`] = meanAccuracy(name, largest) - meanAccuracy(name, smallest);
      summary[`gainSinceReference.${name}`] = meanAccuracy(name, largest) - meanAccuracy(name, reference);
      // Near 100% accuracy, points gained understate progress; the share of errors removed does not.
      summary[`errorCutSinceReference.${name}`] = 1 - (1 - meanAccuracy(name, largest)) / (1 - meanAccuracy(name, reference));
      if (name !== 'logistic') {
        summary[`marginOverLogistic.${name}.smallest`] = meanAccuracy(name, smallest) - meanAccuracy('logistic', smallest);
        summary[`marginOverLogistic.${name}.largest`] = meanAccuracy(name, largest) - meanAccuracy('logistic', largest);
      }
      const fit = fitPowerLaw(
        rows
          .filter((r) => r.model === name && typeof r.testError === 'number')
          .map((r) => ({ m: r.m as number, error: r.testError as number })),
      );
      if (fit) {
        summary[`fit.${name}.exponent`] = fit.exponent;
        summary[`fit.${name}.exponentStderr`] = fit.exponentStderr;
        summary[`fit.${name}.r2`] = fit.r2;
      } else {
        notes.push(`${label}: too few training-set sizes for a power-law fit.`);
      }
    }
    // Which model is best at the smallest and at the largest m: the lecture predicts a change of leader.
    const best = (m: number) =>
      config.models.reduce((a, b) => (meanAccuracy(b.name, m) > meanAccuracy(a.name, m) ? b : a));
    const leaderSmall = best(smallest);
    const leaderLarge = best(largest);
    const logisticLead = meanAccuracy('logistic', largest);
    summary['best.largest.accuracy'] = meanAccuracy(leaderLarge.name, largest);
    summary['best.largest.marginOverLogistic'] = meanAccuracy(leaderLarge.name, largest) - logisticLead;
    notes.push(
      `Best at m = ${smallest}: ${leaderSmall.label}; best at m = ${largest}: ${leaderLarge.label}.`,
    );
    return { summary, notes };
  },
};
