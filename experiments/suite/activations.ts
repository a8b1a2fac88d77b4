/**
 * activations — the switch from sigmoid to ReLU made gradient descent faster. Plain deep fully
 * connected networks with sigmoid, tanh and ReLU, trained with the same data, initialisation scheme
 * and optimiser (plain SGD, so the activation is the only difference): training loss and error per
 * epoch (and per second, from the timings), epochs to a target training error, and the gradient norm
 * reaching each layer — the vanishing gradient made visible. Plus the analytic curves.
 */
import type { Experiment } from '../lib/experiment.ts';
import { loadMnist, sampleSplit, toFloatPixels, headOfSplit } from '../lib/mnist.ts';
import { buildModel, type Activation, type OptimizerSpec } from '../lib/models.ts';
import { createRng, deriveSeed } from '../lib/random.ts';
import type { Reference, Row } from '../lib/schema.ts';
import { accuracy, layerGradientRms, train } from '../lib/train.ts';
import { meanOf } from '../lib/trial.ts';

export interface ActivationsConfig {
  activations: Activation[];
  /** Hidden layers of the plain networks. */
  depths: number[];
  width: number;
  m: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerSpec;
  /** The training error every network is timed to reach. */
  targetError: number;
  /** Examples in the fixed batch on which gradient norms are measured. */
  gradientBatch: number;
  testSize: number;
}

interface ActivationsUnit {
  key: string;
  activation: Activation;
  depth: number;
  seed: number;
}

/** The functions themselves and their derivatives, for the analytic chart. */
export const ACTIVATION_FUNCTIONS: Record<Activation, { f: (x: number) => number; df: (x: number) => number }> = {
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), df: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2 },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  relu: { f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0) },
};

const references: Reference[] = [
  { subject: 'relu vs tanh', measure: 'speed-up in iterations to 25% training error (CIFAR-10, 4-layer CNN)', value: 6, unit: 'times', citation: 'Krizhevsky, Sutskever, Hinton 2012, Fig. 1', year: 2012, note: 'learning rates tuned separately for each; a convolutional network on CIFAR-10, not an MLP on MNIST' },
  { subject: 'sigmoid', measure: 'test error, 5 hidden layers, MNIST', value: 0.0221, unit: 'fraction', citation: 'Glorot & Bengio 2010, Table 1', year: 2010 },
  { subject: 'tanh', measure: 'test error, 5 hidden layers, MNIST', value: 0.0176, unit: 'fraction', citation: 'Glorot & Bengio 2010, Table 1', year: 2010 },
];

const sgd: OptimizerSpec = { name: 'sgd', learningRate: 0.1 };

export const activations: Experiment<ActivationsConfig, ActivationsUnit> = {
  id: 'activations',
  claim: 'Replacing the sigmoid with the ReLU makes gradient descent much faster, most of all in deep networks.',
  references,
  configs: {
    smoke: { activations: ['sigmoid', 'tanh', 'relu'], depths: [2], width: 32, m: 500, seeds: [1], epochs: 2, batchSize: 64, optimizer: sgd, targetError: 0.5, gradientBatch: 64, testSize: 500 },
    quick: { activations: ['sigmoid', 'tanh', 'relu'], depths: [2, 5, 10], width: 64, m: 4000, seeds: [1, 2], epochs: 10, batchSize: 64, optimizer: sgd, targetError: 0.1, gradientBatch: 256, testSize: 10000 },
    full: { activations: ['sigmoid', 'tanh', 'relu'], depths: [2, 5, 10], width: 128, m: 10000, seeds: [1, 2, 3], epochs: 30, batchSize: 64, optimizer: sgd, targetError: 0.05, gradientBatch: 256, testSize: 10000 },
  },

  units(config) {
    return config.activations.flatMap((activation) =>
      config.depths.flatMap((depth) => config.seeds.map((seed) => ({ key: `${activation}/depth=${depth}/seed=${seed}`, activation, depth, seed }))),
    );
  },

  cost({ depth }, config) {
    return config.epochs * config.m * (1 + (depth * config.width) / 64);
  },

  async runUnit({ activation, depth, seed }, config) {
    const mnist = loadMnist();
    const trainSet = sampleSplit(mnist.train, config.m, createRng(deriveSeed(seed, 'sample', config.m)));
    const testSet = headOfSplit(mnist.test, config.testSize);
    const spec = { kind: 'mlp' as const, hidden: new Array<number>(depth).fill(config.width), activation };
    const model = buildModel(spec, config.optimizer, deriveSeed(seed, 'init', `depth-${depth}`));
    const inputs = toFloatPixels(trainSet);
    // Gradient norms are always measured on the same examples: the first of the training subset.
    const probe = { x: inputs.subarray(0, config.gradientBatch * 784), labels: trainSet.labels.subarray(0, config.gradientBatch) };
    const base = { activation, depth, seed };
    const rows: Row[] = [];
    const timings: Row[] = [];
    const recordGradients = async (epoch: number) =>
      (await layerGradientRms(model, probe.x, probe.labels)).forEach((gradientNorm, i, all) =>
        rows.push({ kind: 'gradient', ...base, epoch, layer: i + 1, layers: all.length, gradientNorm }),
      );
    await recordGradients(0);
    const outcome = await train(model, trainSet, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      rng: createRng(deriveSeed(seed, 'batches', config.m)),
      inputs,
      onEpoch: async (epoch, trainLoss, seconds) => {
        const trainError = 1 - (await accuracy(model, trainSet, inputs));
        rows.push({ kind: 'epoch', ...base, epoch, trainLoss, trainError });
        timings.push({ ...base, epoch, seconds });
        // Gradient norms after the first epoch, every fifth and the last: enough to see the trend.
        if (epoch === 1 || epoch % 5 === 0 || epoch === config.epochs) await recordGradients(epoch);
      },
    });
    rows.push({
      kind: 'final',
      ...base,
      diverged: outcome.diverged,
      testAccuracy: outcome.diverged ? null : await accuracy(model, testSet),
      params: model.countParams(),
    });
    model.dispose();
    if (seed === config.seeds[0] && depth === config.depths[0]) {
      // The analytic curves, once per activation: f(x) and f'(x) on [-6, 6].
      for (let i = 0; i <= 120; i++) {
        const x = -6 + i / 10;
        const { f, df } = ACTIVATION_FUNCTIONS[activation];
        rows.push({ kind: 'curve', activation, x, value: f(x), derivative: df(x) });
      }
    }
    return { rows, timings };
  },

  summarize(config, rows, timings) {
    const summary: Record<string, number> = { targetError: config.targetError, epochs: config.epochs, m: config.m, width: config.width };
    const notes: string[] = [];
    const epochsTo = (activation: string, depth: number, seed: number) =>
      rows.find((r) => r.kind === 'epoch' && r.activation === activation && r.depth === depth && r.seed === seed && (r.trainError as number) <= config.targetError)?.epoch as number | undefined;
    const secondsAt = (activation: string, depth: number, seed: number, epoch: number) =>
      timings.find((t) => t.activation === activation && t.depth === depth && t.seed === seed && t.epoch === epoch)?.seconds as number | undefined;
    for (const depth of config.depths) {
      for (const activation of config.activations) {
        const reached = config.seeds.map((seed) => epochsTo(activation, depth, seed));
        const hits = reached.filter((e): e is number => e !== undefined);
        summary[`reachedTarget.${activation}.${depth}`] = hits.length / config.seeds.length;
        if (hits.length === config.seeds.length) {
          summary[`epochsToTarget.${activation}.${depth}`] = hits.reduce((a, b) => a + b, 0) / hits.length;
          const seconds = config.seeds.map((seed, i) => secondsAt(activation, depth, seed, reached[i]!)).filter((s): s is number => s !== undefined);
          if (seconds.length) summary[`secondsToTarget.${activation}.${depth}`] = seconds.reduce((a, b) => a + b, 0) / seconds.length;
        } else {
          notes.push(`${activation}, ${depth} hidden layers: reached ${(100 * config.targetError).toFixed(0)}% training error in ${hits.length} of ${config.seeds.length} seeds within ${config.epochs} epochs.`);
        }
        summary[`finalTrainError.${activation}.${depth}`] = meanOf(rows, 'trainError', (r) => r.kind === 'epoch' && r.activation === activation && r.depth === depth && r.epoch === config.epochs);
        summary[`testAccuracy.${activation}.${depth}`] = meanOf(rows, 'testAccuracy', (r) => r.kind === 'final' && r.activation === activation && r.depth === depth);
        // Signal reaching the first layer relative to the last, at initialisation: ≪ 1 is a vanishing gradient.
        const norm = (layer: number) => meanOf(rows, 'gradientNorm', (r) => r.kind === 'gradient' && r.activation === activation && r.depth === depth && r.epoch === 0 && r.layer === layer);
        summary[`gradientRatioAtInit.${activation}.${depth}`] = norm(1) / norm(depth + 1);
      }
      // Speed-ups: how many times fewer epochs ReLU needs. Where the slower one never reached the
      // target, the ratio is at least epochs/ReLU's epochs: recorded as a lower bound.
      for (const other of ['sigmoid', 'tanh'] as const) {
        const relu = summary[`epochsToTarget.relu.${depth}`];
        if (relu === undefined || !config.activations.includes(other)) continue;
        const slower = summary[`epochsToTarget.${other}.${depth}`];
        if (slower !== undefined) summary[`speedup.relu-vs-${other}.${depth}`] = slower / relu;
        else summary[`speedupAtLeast.relu-vs-${other}.${depth}`] = config.epochs / relu;
      }
    }
    return { summary, notes };
  },
};
