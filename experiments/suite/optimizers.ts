/**
 * optimizers — algorithmic innovations beyond the activation: the same network and data trained
 * with plain SGD, SGD with momentum, RMSProp and Adam, each at a customary learning rate; epochs and
 * seconds to a target test accuracy.
 */
import type { Experiment } from '../lib/experiment.ts';
import { headOfSplit, loadMnist, sampleSplit, toFloatPixels } from '../lib/mnist.ts';
import { buildModel, type ModelSpec, type OptimizerSpec } from '../lib/models.ts';
import { createRng, deriveSeed } from '../lib/random.ts';
import type { Row } from '../lib/schema.ts';
import { accuracy, train } from '../lib/train.ts';

interface NamedOptimizer {
  name: string;
  label: string;
  spec: OptimizerSpec;
}

export interface OptimizersConfig {
  optimizers: NamedOptimizer[];
  model: ModelSpec;
  m: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  targetAccuracy: number;
  testSize: number;
}

interface OptimizersUnit {
  key: string;
  optimizer: NamedOptimizer;
  seed: number;
}

/** Learning rates are each method's customary default, not tuned here: tuning would favour none in particular. */
const OPTIMIZERS: NamedOptimizer[] = [
  { name: 'sgd', label: 'SGD', spec: { name: 'sgd', learningRate: 0.05 } },
  { name: 'momentum', label: 'SGD with momentum 0.9', spec: { name: 'momentum', learningRate: 0.05 } },
  { name: 'rmsprop', label: 'RMSProp', spec: { name: 'rmsprop', learningRate: 0.001 } },
  { name: 'adam', label: 'Adam', spec: { name: 'adam', learningRate: 0.001 } },
];
const network: ModelSpec = { kind: 'mlp', hidden: [256, 256], activation: 'relu' };

export const optimizers: Experiment<OptimizersConfig, OptimizersUnit> = {
  id: 'optimizers',
  claim: 'Better optimisers (momentum, RMSProp, Adam) reach a given accuracy in fewer epochs and less time than plain gradient descent.',
  configs: {
    smoke: { optimizers: OPTIMIZERS, model: { kind: 'mlp', hidden: [32], activation: 'relu' }, m: 500, seeds: [1], epochs: 2, batchSize: 64, targetAccuracy: 0.5, testSize: 500 },
    quick: { optimizers: OPTIMIZERS, model: network, m: 5000, seeds: [1, 2], epochs: 8, batchSize: 64, targetAccuracy: 0.93, testSize: 10000 },
    full: { optimizers: OPTIMIZERS, model: network, m: 20000, seeds: [1, 2, 3], epochs: 15, batchSize: 64, targetAccuracy: 0.96, testSize: 10000 },
  },

  units(config) {
    return config.optimizers.flatMap((optimizer) => config.seeds.map((seed) => ({ key: `${optimizer.name}/seed=${seed}`, optimizer, seed })));
  },

  cost(_unit, config) {
    return config.epochs * config.m;
  },

  async runUnit({ optimizer, seed }, config) {
    const mnist = loadMnist();
    const trainSet = sampleSplit(mnist.train, config.m, createRng(deriveSeed(seed, 'sample', config.m)));
    const testSet = headOfSplit(mnist.test, config.testSize);
    // Same initial weights for every optimiser at a given seed: only the update rule differs.
    const model = buildModel(config.model, optimizer.spec, deriveSeed(seed, 'init', 'optimizers'));
    const inputs = toFloatPixels(trainSet);
    const testInputs = toFloatPixels(testSet);
    const rows: Row[] = [];
    const timings: Row[] = [];
    const outcome = await train(model, trainSet, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      rng: createRng(deriveSeed(seed, 'batches', config.m)),
      inputs,
      onEpoch: async (epoch, trainLoss, seconds) => {
        rows.push({ optimizer: optimizer.name, label: optimizer.label, seed, epoch, trainLoss, testAccuracy: await accuracy(model, testSet, testInputs) });
        timings.push({ optimizer: optimizer.name, seed, epoch, seconds });
      },
    });
    if (outcome.diverged) rows.push({ optimizer: optimizer.name, label: optimizer.label, seed, epoch: null, diverged: true, trainLoss: null, testAccuracy: null });
    model.dispose();
    return { rows, timings };
  },

  summarize(config, rows, timings) {
    const summary: Record<string, number> = { targetAccuracy: config.targetAccuracy, epochs: config.epochs, m: config.m };
    const notes: string[] = [];
    for (const { name, label } of config.optimizers) {
      const reached = config.seeds.map(
        (seed) => rows.find((r) => r.optimizer === name && r.seed === seed && typeof r.testAccuracy === 'number' && r.testAccuracy >= config.targetAccuracy)?.epoch as number | undefined,
      );
      const finals = rows.filter((r) => r.optimizer === name && r.epoch === config.epochs).map((r) => r.testAccuracy as number);
      if (finals.length) summary[`finalAccuracy.${name}`] = finals.reduce((a, b) => a + b, 0) / finals.length;
      if (reached.every((e) => e !== undefined)) {
        summary[`epochsToTarget.${name}`] = reached.reduce((a, b) => a! + b!, 0)! / reached.length;
        const seconds = config.seeds.map((seed, i) => timings.find((t) => t.optimizer === name && t.seed === seed && t.epoch === reached[i])?.seconds as number);
        summary[`secondsToTarget.${name}`] = seconds.reduce((a, b) => a + b, 0) / seconds.length;
      } else {
        notes.push(`${label}: did not reach ${(100 * config.targetAccuracy).toFixed(0)}% test accuracy within ${config.epochs} epochs in every seed.`);
      }
    }
    const sgd = summary['epochsToTarget.sgd'];
    for (const { name } of config.optimizers) {
      const epochs = summary[`epochsToTarget.${name}`];
      if (sgd !== undefined && epochs !== undefined && name !== 'sgd') summary[`speedupOverSgd.${name}`] = sgd / epochs;
    }
    return { summary, notes };
  },
};
