/**
 * activations — the switch from sigmoid to ReLU made gradient descent faster. Plain deep fully
 * connected networks with sigmoid, tanh and ReLU, trained with the same data, initialisation scheme
 * and optimiser (plain SGD, so the activation is the only difference), each at every rate of a small
 * log-spaced sweep: validation accuracy per epoch (and per second, from the timings), epochs to a
 * target validation accuracy at each activation's best rate and at one shared rate, and the size of
 * the gradient reaching each layer, per weight — the vanishing gradient made visible. Plus the
 * analytic curves.
 */
import type { ActivationsConfig } from '../configs.ts';
import type { Experiment } from '../lib/experiment.ts';
import { buildModel, type Activation } from '../lib/models.ts';
import { deriveSeed } from '../lib/random.ts';
import type { Reference, Row } from '../lib/schema.ts';
import { comparisonData, trainWithCurve } from '../lib/sweep.ts';
import { layerGradientRms } from '../lib/train.ts';
import { summarizeActivations } from '../summaries/activations.ts';


interface ActivationsUnit {
  key: string;
  activation: Activation;
  depth: number;
  rate: number;
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

export const activations: Experiment<ActivationsConfig, ActivationsUnit> = {
  id: 'activations',
  claim: 'Replacing the sigmoid with the ReLU makes gradient descent much faster, most of all in deep networks.',
  references,
  configs: {
    smoke: {
      activations: ['sigmoid', 'tanh', 'relu'],
      depths: [2],
      width: 32,
      m: 500,
      seeds: [1],
      epochs: 2,
      batchSize: 64,
      rates: [0.1, 1],
      sharedRate: 0.1,
      targetAccuracy: 0.5,
      gradientBatch: 64,
      testSize: 500,
    },
    quick: {
      activations: ['sigmoid', 'tanh', 'relu'],
      depths: [2, 5, 10],
      width: 64,
      m: 2000,
      seeds: [1],
      epochs: 8,
      batchSize: 64,
      rates: [0.03, 0.1, 0.3, 1],
      sharedRate: 0.1,
      targetAccuracy: 0.85,
      gradientBatch: 256,
      testSize: 10000,
    },
    full: {
      activations: ['sigmoid', 'tanh', 'relu'],
      depths: [2, 5, 10],
      width: 64,
      m: 3000,
      seeds: [1, 2],
      epochs: 12,
      batchSize: 64,
      // Half-decades from 0.03 to 1 (plain SGD): wide enough that each activation's best lies inside.
      rates: [0.03, 0.1, 0.3, 1],
      sharedRate: 0.1,
      targetAccuracy: 0.88,
      gradientBatch: 256,
      testSize: 10000,
    },
  },

  // Not depths, rates or seeds: the first unit of each activation's grid also writes its analytic curve.
  gridFields: ['activations'],

  units(config) {
    return config.activations.flatMap((activation) =>
      config.depths.flatMap((depth) =>
        config.rates.flatMap((rate) =>
          config.seeds.map((seed) => ({ key: `${activation}/depth=${depth}/lr=${rate}/seed=${seed}`, activation, depth, rate, seed })),
        ),
      ),
    );
  },

  cost({ depth }, config) {
    return config.epochs * (config.m + 5000 / 3) * (1 + (depth * config.width) / 64);
  },

  async runUnit({ activation, depth, rate, seed }, config) {
    const data = comparisonData(config.m, seed, config.testSize);
    const spec = { kind: 'mlp' as const, hidden: new Array<number>(depth).fill(config.width), activation };
    // The same initial weights at every rate: only the step size differs within a sweep.
    const model = buildModel(spec, { name: 'sgd', learningRate: rate }, deriveSeed(seed, 'init', `depth-${depth}`));
    // Gradients are always measured on the same examples: the first of the training subset.
    const probe = { x: data.inputs.subarray(0, config.gradientBatch * 784), labels: data.trainSet.labels.subarray(0, config.gradientBatch) };
    const base = { activation, depth, rate, seed };
    const gradients: Row[] = [];
    const recordGradients = async (epoch: number) =>
      (await layerGradientRms(model, probe.x, probe.labels)).forEach((gradientRms, i, all) =>
        gradients.push({ kind: 'gradient', ...base, epoch, layer: i + 1, layers: all.length, gradientRms }),
      );
    await recordGradients(0);
    const { rows, timings } = await trainWithCurve(model, data, base, seed, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      // After the first epoch, every fifth and the last: enough to see the trend.
      afterEpoch: async (epoch) => {
        if (epoch === 1 || epoch % 5 === 0 || epoch === config.epochs) await recordGradients(epoch);
      },
    });
    model.dispose();
    rows.push(...gradients);
    if (seed === config.seeds[0] && depth === config.depths[0] && rate === config.rates[0]) {
      // The analytic curves, once per activation: f(x) and f'(x) on [-6, 6].
      for (let i = 0; i <= 120; i++) {
        const x = -6 + i / 10;
        const { f, df } = ACTIVATION_FUNCTIONS[activation];
        rows.push({ kind: 'curve', activation, x, value: f(x), derivative: df(x) });
      }
    }
    return { rows, timings };
  },

  summarize: summarizeActivations,
};
