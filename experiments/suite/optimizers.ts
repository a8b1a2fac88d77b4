/**
 * optimizers — algorithmic innovations beyond the activation: the same network and data trained
 * with plain SGD, SGD with momentum, RMSProp and Adam, each over a small log-spaced sweep of learning
 * rates; epochs and seconds to a target validation accuracy, each optimiser at its own best rate.
 */
import type { OptimizersConfig, NamedOptimizer } from '../configs.ts';
import type { Experiment } from '../lib/experiment.ts';
import { buildModel, type ModelSpec, type OptimizerSpec } from '../lib/models.ts';
import { deriveSeed } from '../lib/random.ts';
import type { Reference } from '../lib/schema.ts';
import { comparisonData, trainWithCurve } from '../lib/sweep.ts';
import { summarizeOptimizers } from '../summaries/optimizers.ts';



interface OptimizersUnit {
  key: string;
  optimizer: NamedOptimizer;
  rate: number;
  seed: number;
}

/**
 * Momentum 0.9 takes steps about lr / (1 − 0.9) = 10 × lr once it gets going (Sutskever et al.
 * 2013), so its sweep sits below plain SGD's. v3 narrows v2's five-rate grids (2 seeds) to three
 * half-decades around each v2 best rate, to fit five seeds into the budget: SGD's best was 0.3, RMSProp's
 * 0.003 and Adam's 0.001, inside; momentum's was 0.1, the top of its v2 grid, so its grid moves up to 0.3.
 */
const OPTIMIZERS: NamedOptimizer[] = [
  { name: 'sgd', label: 'SGD', rates: [0.1, 0.3, 1] },
  { name: 'momentum', label: 'SGD with momentum 0.9', rates: [0.03, 0.1, 0.3] },
  { name: 'rmsprop', label: 'RMSProp', rates: [0.001, 0.003, 0.01] },
  { name: 'adam', label: 'Adam', rates: [0.0003, 0.001, 0.003] },
];
const network: ModelSpec = { kind: 'mlp', hidden: [256, 256], activation: 'relu' };

const references: Reference[] = [
  { subject: 'momentum', measure: 'effective step of momentum β', value: 10, unit: 'times the learning rate at β = 0.9', citation: 'Sutskever, Martens, Dahl, Hinton 2013', year: 2013, note: 'lr / (1 − β): why momentum must be compared at matched steps' },
];

export const optimizers: Experiment<OptimizersConfig, OptimizersUnit> = {
  id: 'optimizers',
  claim: 'Better optimisers (momentum, RMSProp, Adam) reach a given accuracy in fewer epochs and less time than plain gradient descent.',
  references,
  configs: {
    smoke: {
      optimizers: OPTIMIZERS.map((o) => ({ ...o, rates: o.rates.slice(1, 3) })),
      model: { kind: 'mlp', hidden: [32], activation: 'relu' },
      m: 500,
      seeds: [1],
      epochs: 2,
      batchSize: 64,
      targetAccuracy: 0.5,
      testSize: 500,
    },
    quick: { optimizers: OPTIMIZERS, model: network, m: 3000, seeds: [1], epochs: 6, batchSize: 64, targetAccuracy: 0.9, testSize: 10000 },
    // Five seeds: a speed-up is called one only beyond their spread (summaries/optimizers.ts).
    full: { optimizers: OPTIMIZERS, model: network, m: 5000, seeds: [1, 2, 3, 4, 5], epochs: 10, batchSize: 64, targetAccuracy: 0.94, testSize: 10000 },
  },

  gridFields: ['optimizers', 'seeds'],

  units(config) {
    return config.optimizers.flatMap((optimizer) =>
      optimizer.rates.flatMap((rate) => config.seeds.map((seed) => ({ key: `${optimizer.name}/lr=${rate}/seed=${seed}`, optimizer, rate, seed }))),
    );
  },

  cost(_unit, config) {
    return config.epochs * (config.m + 5000 / 3);
  },

  async runUnit({ optimizer, rate, seed }, config) {
    const data = comparisonData(config.m, seed, config.testSize);
    // Same initial weights for every optimiser and rate at a given seed: only the update rule differs.
    const model = buildModel(config.model, { name: optimizer.name, learningRate: rate }, deriveSeed(seed, 'init', 'optimizers'));
    const result = await trainWithCurve(model, data, { optimizer: optimizer.name, label: optimizer.label, rate, seed }, seed, {
      epochs: config.epochs,
      batchSize: config.batchSize,
    });
    model.dispose();
    return result;
  },

  summarize: summarizeOptimizers,
};
