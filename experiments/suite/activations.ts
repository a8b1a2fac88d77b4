/**
 * activations — the switch from sigmoid to ReLU made gradient descent faster. Plain deep fully
 * connected networks with sigmoid, tanh and ReLU, trained with the same data, initialisation scheme
 * (Glorot) and optimiser (plain SGD, so the activation is the only difference), plus ReLU with He
 * initialisation, each at every rate of a small log-spaced sweep: validation accuracy per epoch (and
 * per second, from the timings), the best-so-far validation accuracy and epochs to a target at each
 * contender's best rate and at one shared rate, and, per layer, the mechanism where it acts: the
 * backward signal ∂ℓ/∂z and the activations apart (signals.ts), besides the per-weight gradient.
 * Plus the analytic curves.
 */
import type { ActivationContender, ActivationsConfig } from '../configs.ts';
import type { Experiment } from '../lib/experiment.ts';
import { buildModel, type Activation } from '../lib/models.ts';
import { deriveSeed } from '../lib/random.ts';
import type { Reference, Row } from '../lib/schema.ts';
import { comparisonData, trainWithCurve } from '../lib/sweep.ts';
import { layerSignals } from '../lib/signals.ts';
import { layerGradientRms } from '../lib/train.ts';
import { summarizeActivations } from '../summaries/activations.ts';


interface ActivationsUnit {
  key: string;
  contender: ActivationContender;
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

/**
 * The full grids, narrowed to fit the budget (5 seeds × 3 depths) from the v2 sweep (0.03–1 for all,
 * 2 seeds): three half-decades around each contender's v2 best rate, and the shared rate 0.1 in every
 * grid. The sigmoid's best was 1 at two layers (the top of v2's grid) and nothing trained at 5 or 10
 * layers, so its grid reaches up to 3; tanh's and ReLU's bests were 0.1–0.3, with 1 diverging or near
 * chance; ReLU with He initialisation was tried at depth 10 on one seed (0.01: 83%, 0.03: 89%, 0.1: 91%
 * best-so-far), so it shares ReLU's grid. A best rate at a grid's edge is flagged in the summary.
 */
const CONTENDERS: ActivationContender[] = [
  { name: 'sigmoid', activation: 'sigmoid', rates: [0.1, 0.3, 1, 3] },
  { name: 'tanh', activation: 'tanh', rates: [0.03, 0.1, 0.3] },
  { name: 'relu', activation: 'relu', rates: [0.03, 0.1, 0.3] },
  { name: 'relu-he', activation: 'relu', init: 'he', rates: [0.03, 0.1, 0.3] },
];

export const activations: Experiment<ActivationsConfig, ActivationsUnit> = {
  id: 'activations',
  claim: 'Replacing the sigmoid with the ReLU makes gradient descent much faster, most of all in deep networks.',
  references,
  configs: {
    smoke: {
      contenders: [
        { name: 'sigmoid', activation: 'sigmoid', rates: [0.1, 1] },
        { name: 'tanh', activation: 'tanh', rates: [0.1, 1] },
        { name: 'relu', activation: 'relu', rates: [0.1, 1] },
        { name: 'relu-he', activation: 'relu', init: 'he', rates: [0.1, 1] },
      ],
      depths: [2],
      width: 32,
      m: 500,
      seeds: [1],
      epochs: 2,
      batchSize: 64,
      sharedRate: 0.1,
      targetAccuracy: 0.5,
      gradientBatch: 64,
      testSize: 500,
    },
    quick: {
      contenders: CONTENDERS,
      depths: [2, 5, 10],
      width: 64,
      m: 2000,
      seeds: [1],
      epochs: 8,
      batchSize: 64,
      sharedRate: 0.1,
      targetAccuracy: 0.85,
      gradientBatch: 256,
      testSize: 10000,
    },
    full: {
      contenders: CONTENDERS,
      depths: [2, 5, 10],
      width: 64,
      m: 3000,
      // Five seeds: a difference is called one only beyond their spread (summaries/activations.ts).
      seeds: [1, 2, 3, 4, 5],
      epochs: 12,
      batchSize: 64,
      sharedRate: 0.1,
      targetAccuracy: 0.88,
      gradientBatch: 256,
      testSize: 10000,
    },
  },

  // Not depths or seeds: the first unit of each Glorot contender's grid also writes its activation's analytic curve.
  gridFields: ['contenders'],

  units(config) {
    return config.contenders.flatMap((contender) =>
      config.depths.flatMap((depth) =>
        contender.rates.flatMap((rate) =>
          config.seeds.map((seed) => ({ key: `${contender.name}/depth=${depth}/lr=${rate}/seed=${seed}`, contender, depth, rate, seed })),
        ),
      ),
    );
  },

  cost({ depth }, config) {
    return config.epochs * (config.m + 5000 / 3) * (1 + (depth * config.width) / 64);
  },

  async runUnit({ contender, depth, rate, seed }, config) {
    const { activation } = contender;
    const data = comparisonData(config.m, seed, config.testSize);
    const spec = { kind: 'mlp' as const, hidden: new Array<number>(depth).fill(config.width), activation, ...(contender.init ? { init: contender.init } : {}) };
    // The same initial seed at every rate: only the step size differs within a sweep (He draws other weights from it).
    const model = buildModel(spec, { name: 'sgd', learningRate: rate }, deriveSeed(seed, 'init', `depth-${depth}`));
    // Gradients are always measured on the same examples: the first of the training subset.
    const probe = { x: data.inputs.subarray(0, config.gradientBatch * 784), labels: data.trainSet.labels.subarray(0, config.gradientBatch) };
    const base = { contender: contender.name, activation, init: contender.init ?? 'glorot', depth, rate, seed };
    const probes: Row[] = [];
    const measure = async (epoch: number) => {
      (await layerGradientRms(model, probe.x, probe.labels)).forEach((gradientRms, i, all) =>
        probes.push({ kind: 'gradient', ...base, epoch, layer: i + 1, layers: all.length, gradientRms }),
      );
      (await layerSignals(model, probe.x, probe.labels)).forEach(({ backwardRms, activationRms }, i, all) =>
        probes.push({ kind: 'signal', ...base, epoch, layer: i + 1, layers: all.length, backwardRms, activationRms }),
      );
    };
    await measure(0);
    const { rows, timings } = await trainWithCurve(model, data, base, seed, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      // After the first epoch, every fifth and the last: enough to see the trend.
      afterEpoch: async (epoch) => {
        if (epoch === 1 || epoch % 5 === 0 || epoch === config.epochs) await measure(epoch);
      },
    });
    model.dispose();
    rows.push(...probes);
    if (!contender.init && seed === config.seeds[0] && depth === config.depths[0] && rate === contender.rates[0]) {
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
