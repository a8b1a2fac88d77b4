/**
 * compute — faster computation shortens the idea → code → experiment cycle. Training throughput and
 * time to a target accuracy for several model sizes on every backend this machine has, turned into
 * "experiments per day". Backends that are not available are listed as not measured, never guessed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, selectBackend } from '../lib/backend.ts';
import type { Experiment } from '../lib/experiment.ts';
import { CLASSES, headOfSplit, loadMnist, PIXELS, sampleSplit, toFloatPixels } from '../lib/mnist.ts';
import { buildModel, type ModelSpec, type OptimizerSpec } from '../lib/models.ts';
import { createRng, deriveSeed } from '../lib/random.ts';
import { BACKENDS, type BackendName, type Row } from '../lib/schema.ts';
import { accuracy, train } from '../lib/train.ts';

export interface ComputeConfig {
  backends: BackendName[];
  widths: number[];
  /** Steps of batch `batchSize` timed for the throughput figure, after a short warm-up. */
  throughputSteps: number;
  batchSize: number;
  m: number;
  testSize: number;
  targetAccuracy: number;
  maxEpochs: number;
  /** A unit gives up on the target after this much training time. */
  maxSeconds: number;
  seed: number;
}

interface ComputeUnit {
  key: string;
  backend: BackendName;
  width: number;
  seed: number;
}

const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };
const spec = (width: number): ModelSpec => ({ kind: 'mlp', hidden: [width], activation: 'relu' });

export const compute: Experiment<ComputeConfig, ComputeUnit> = {
  id: 'compute',
  claim: 'Faster computation shortens the cycle from idea to result: the same experiment can run many more times a day.',
  configs: {
    smoke: { backends: ['wasm', 'cpu', 'tensorflow'], widths: [32], throughputSteps: 5, batchSize: 64, m: 500, testSize: 500, targetAccuracy: 0.3, maxEpochs: 3, maxSeconds: 20, seed: 1 },
    quick: { backends: [...BACKENDS], widths: [64, 256, 1024], throughputSteps: 20, batchSize: 64, m: 5000, testSize: 2000, targetAccuracy: 0.9, maxEpochs: 10, maxSeconds: 60, seed: 1 },
    full: { backends: [...BACKENDS], widths: [64, 256, 1024], throughputSteps: 50, batchSize: 64, m: 10000, testSize: 10000, targetAccuracy: 0.95, maxEpochs: 20, maxSeconds: 300, seed: 1 },
  },

  units(config) {
    return config.backends.flatMap((backend) => config.widths.map((width) => ({ key: `${backend}/width=${width}`, backend, width, seed: config.seed })));
  },

  cost({ backend, width }, config) {
    // The plain JavaScript backend is several times slower than the others.
    return (backend === 'cpu' ? 8 : 1) * config.m * (1 + width / 64);
  },

  async runUnit({ backend, width, seed }, config, context) {
    const base = { backend, width };
    try {
      await selectBackend(backend);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      // Not on this machine: say so, and measure nothing.
      return { rows: [{ ...base, status: 'not available', reason: error.message.replace(/^--backend \w+ is not available: /, '').replace(/\.$/, '') }], timings: [] };
    }
    try {
      const mnist = loadMnist();
      const trainSet = sampleSplit(mnist.train, config.m, createRng(deriveSeed(seed, 'sample', config.m)));
      const testSet = headOfSplit(mnist.test, config.testSize);
      const inputs = toFloatPixels(trainSet);

      // Throughput: steps of a fixed batch, after a warm-up that compiles and allocates.
      const model = buildModel(spec(width), adam, deriveSeed(seed, 'init', `width-${width}`));
      const xs = tf.tensor2d(inputs.subarray(0, config.batchSize * PIXELS), [config.batchSize, PIXELS]);
      const ys = tf.oneHot(tf.tensor1d(Array.from(trainSet.labels.subarray(0, config.batchSize)), 'int32'), CLASSES);
      for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
      const started = performance.now();
      for (let i = 0; i < config.throughputSteps; i++) await model.trainOnBatch(xs, ys);
      const samplesPerSecond = (config.throughputSteps * config.batchSize) / ((performance.now() - started) / 1000);
      tf.dispose([xs, ys]);
      model.dispose();

      // Time to the target accuracy, from fresh weights, checking the test set after each epoch.
      const fresh = buildModel(spec(width), adam, deriveSeed(seed, 'init', `width-${width}`));
      let trainingSeconds = 0;
      let reachedAt: number | undefined;
      let epochsRun = 0;
      await train(fresh, trainSet, {
        epochs: config.maxEpochs,
        batchSize: config.batchSize,
        rng: createRng(deriveSeed(seed, 'batches', config.m)),
        inputs,
        onEpoch: async (epoch, _loss, seconds) => {
          trainingSeconds = seconds;
          epochsRun = epoch;
          if ((await accuracy(fresh, testSet)) >= config.targetAccuracy) reachedAt = epoch;
          return reachedAt !== undefined || seconds > config.maxSeconds ? 'stop' : undefined;
        },
      });
      const params = fresh.countParams();
      fresh.dispose();
      const rows: Row[] = [{ ...base, status: 'measured', params, epochsToTarget: reachedAt ?? null, epochsRun }];
      const secondsToTarget = reachedAt === undefined ? null : trainingSeconds;
      const timings: Row[] = [
        { ...base, samplesPerSecond, secondsToTarget, experimentsPerDay: secondsToTarget === null ? null : 86400 / secondsToTarget },
      ];
      return { rows, timings };
    } finally {
      // Leave the process on the backend the run chose, for the next unit.
      await selectBackend(context.backend.name);
    }
  },

  summarize(config, rows, timings) {
    const summary: Record<string, number> = { targetAccuracy: config.targetAccuracy, m: config.m };
    const notes: string[] = [];
    for (const row of rows.filter((r) => r.status === 'not available' && r.width === config.widths[0])) {
      notes.push(`${row.backend}: not measured on this machine (${row.reason}).`);
    }
    const measured = [...new Set(rows.filter((r) => r.status === 'measured').map((r) => r.backend as string))];
    summary['backendsMeasured'] = measured.length;
    for (const t of timings) {
      const key = `${t.backend}.${t.width}`;
      summary[`samplesPerSecond.${key}`] = t.samplesPerSecond as number;
      if (typeof t.secondsToTarget === 'number') {
        summary[`secondsToTarget.${key}`] = t.secondsToTarget;
        summary[`experimentsPerDay.${key}`] = t.experimentsPerDay as number;
      } else {
        notes.push(`${t.backend}, width ${t.width}: did not reach ${(100 * config.targetAccuracy).toFixed(0)}% within its time budget.`);
      }
    }
    // How much faster the fastest measured backend trains than plain JavaScript, per model size.
    for (const width of config.widths) {
      const rate = (b: string) => summary[`samplesPerSecond.${b}.${width}`];
      const fastest = measured.reduce((a, b) => ((rate(b) ?? 0) > (rate(a) ?? 0) ? b : a), measured[0] ?? '');
      if (rate('cpu') && fastest && rate(fastest)) summary[`speedupOverPlainJs.${width}`] = rate(fastest)! / rate('cpu')!;
    }
    return { summary, notes };
  },
};
