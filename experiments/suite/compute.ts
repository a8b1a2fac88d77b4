/**
 * compute — faster computation shortens the idea → code → experiment cycle. Training throughput on
 * every backend this machine has, and the time a real experiment takes — a LeNet-style CNN trained
 * on 55,000 images to a target validation accuracy, minutes on one CPU core — turned into
 * "experiments per day". Backends that are not available are listed as not measured, never guessed;
 * a backend too slow to finish inside its time budget gets a projection, labelled as one.
 */
import type { ComputeConfig, ComputeModel } from '../configs.ts';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, probeWebgpu, selectBackend } from '../lib/backend.ts';
import type { Experiment } from '../lib/experiment.ts';
import { CLASSES, PIXELS } from '../lib/mnist.ts';
import { buildModel, type ModelSpec, type OptimizerSpec } from '../lib/models.ts';
import { createRng, deriveSeed } from '../lib/random.ts';
import { BACKENDS, type BackendName, type Row } from '../lib/schema.ts';
import { comparisonData } from '../lib/sweep.ts';
import { score, train } from '../lib/train.ts';
import { MODELS } from '../lib/zoo.ts';
import { summarizeCompute } from '../summaries/compute.ts';



interface ComputeUnit {
  key: string;
  backend: BackendName;
  model: ComputeModel;
  seed: number;
}

const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };
const mlp: ComputeModel = { name: 'mlp', label: 'Network 784-256-10', spec: MODELS.medium.spec, targetAccuracy: 0.97 };
const cnn: ComputeModel = { name: 'cnn', label: 'LeNet-style CNN', spec: MODELS.cnn.spec, targetAccuracy: 0.985 };

export const compute: Experiment<ComputeConfig, ComputeUnit> = {
  id: 'compute',
  claim: 'Faster computation shortens the cycle from idea to result: the same experiment can run many more times a day.',
  configs: {
    smoke: {
      backends: ['wasm', 'cpu', 'tensorflow'],
      models: [{ ...mlp, spec: { kind: 'mlp', hidden: [32], activation: 'relu' }, targetAccuracy: 0.3 }],
      throughputSteps: 5,
      throughputSeconds: 5,
      batchSize: 64,
      m: 500,
      testSize: 500,
      maxEpochs: 3,
      maxSeconds: 20,
      seed: 1,
    },
    quick: { backends: [...BACKENDS], models: [mlp, cnn], throughputSteps: 20, throughputSeconds: 15, batchSize: 64, m: 10000, testSize: 2000, maxEpochs: 10, maxSeconds: 120, seed: 1 },
    full: { backends: [...BACKENDS], models: [mlp, cnn], throughputSteps: 50, throughputSeconds: 30, batchSize: 64, m: 55000, testSize: 10000, maxEpochs: 20, maxSeconds: 600, seed: 1 },
  },

  gridFields: ['backends', 'models', 'seed'],
  // Throughput and time to target are wall-clock measurements: never two units at once.
  exclusive: true,

  units(config) {
    return config.backends.flatMap((backend) => config.models.map((model) => ({ key: `${backend}/${model.name}`, backend, model, seed: config.seed })));
  },

  cost({ backend, model }, config) {
    // Plain JavaScript and software WebGPU only measure throughput; the others train to the target.
    const price = model.spec.kind === 'cnn' ? 60 : 5;
    return backend === 'wasm' || backend === 'tensorflow' ? 4 * config.m * price : config.throughputSeconds * 1000;
  },

  async runUnit({ backend, model: named, seed }, config, context) {
    const base = { backend, model: named.name, label: named.label };
    try {
      await selectBackend(backend);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      // Not on this machine: say so, and measure nothing.
      return { rows: [{ ...base, status: 'not available', reason: error.message.replace(/^--backend \w+ is not available: /, '').replace(/\.$/, '') }], timings: [] };
    }
    try {
      // A software WebGPU adapter (lavapipe) runs on the CPU: its figures must never pass for a GPU's.
      const hardware = backend === 'webgpu' ? ((await probeWebgpu()).software ? 'software' : 'hardware') : backend === 'tensorflow' ? 'native' : 'cpu';
      const data = comparisonData(config.m, seed, config.testSize);

      // Throughput: steps of a fixed batch, after a warm-up that compiles and allocates.
      const model = buildModel(named.spec, adam, deriveSeed(seed, 'init', named.name));
      const xs = tf.tensor2d(data.inputs.subarray(0, config.batchSize * PIXELS), [config.batchSize, PIXELS]);
      const ys = tf.oneHot(tf.tensor1d(Array.from(data.trainSet.labels.subarray(0, config.batchSize)), 'int32'), CLASSES);
      for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys);
      const started = performance.now();
      let steps = 0;
      while (steps < config.throughputSteps && (performance.now() - started) / 1000 < config.throughputSeconds) {
        await model.trainOnBatch(xs, ys);
        steps++;
      }
      const samplesPerSecond = (steps * config.batchSize) / ((performance.now() - started) / 1000);
      tf.dispose([xs, ys]);
      const params = model.countParams();
      model.dispose();

      // Time to the target validation accuracy from fresh weights — where one epoch fits the budget.
      const epochSeconds = config.m / samplesPerSecond;
      let reachedAt: number | null = null;
      let trainingSeconds: number | null = null;
      let epochsRun = 0;
      let testAccuracy: number | null = null;
      if (epochSeconds <= config.maxSeconds / 2) {
        const fresh = buildModel(named.spec, adam, deriveSeed(seed, 'init', named.name));
        await train(fresh, data.trainSet, {
          epochs: config.maxEpochs,
          batchSize: config.batchSize,
          rng: createRng(deriveSeed(seed, 'batches', config.m)),
          inputs: data.inputs,
          onEpoch: async (epoch, _loss, seconds) => {
            epochsRun = epoch;
            trainingSeconds = seconds;
            if ((await score(fresh, data.validation, data.validationInputs)).accuracy >= named.targetAccuracy) reachedAt = epoch;
            return reachedAt !== null || seconds > config.maxSeconds ? 'stop' : undefined;
          },
        });
        if (reachedAt !== null) testAccuracy = (await score(fresh, data.testSet)).accuracy;
        fresh.dispose();
      }
      const rows: Row[] = [{ ...base, status: 'measured', hardware, params, epochsToTarget: reachedAt, epochsRun, testAccuracy }];
      const secondsToTarget = reachedAt === null ? null : trainingSeconds;
      const timings: Row[] = [{ ...base, hardware, samplesPerSecond, secondsToTarget, experimentsPerDay: secondsToTarget === null ? null : 86400 / secondsToTarget }];
      return { rows, timings };
    } finally {
      // Leave the process on the backend the run chose, for the next unit.
      await selectBackend(context.backend.name);
    }
  },

  summarize: summarizeCompute,
};
