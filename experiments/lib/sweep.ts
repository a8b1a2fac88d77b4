/**
 * Speed comparisons under the protocol: a contender (an activation, an optimiser) is trained for a
 * fixed number of epochs at each learning rate of a small log-spaced sweep, its validation accuracy
 * measured after every epoch; the summary then compares contenders each at its own best rate (chosen
 * on validation) and at one shared rate (experiments/summaries/sweep.ts). The test set is scored
 * once, after the last epoch.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Row } from './schema.ts';
import { toFloatPixels, type Split } from './mnist.ts';
import { protocolSplits, testHead, trialSubset } from './trial.ts';
import { score, train } from './train.ts';
import { createRng, deriveSeed } from './random.ts';

/** Pixels of the validation set, once per carve (keyed by the split, so MNIST_DIR elsewhere carves anew). */
const validationPixels = new WeakMap<Split, Float32Array>();

/** The training subset, validation and test sets of a comparison, as pixels. */
export function comparisonData(m: number, seed: number, testSize: number) {
  const { validation } = protocolSplits();
  const trainSet = trialSubset(m, seed);
  return {
    trainSet,
    inputs: toFloatPixels(trainSet),
    validation,
    validationInputs: validationPixels.get(validation) ?? validationPixels.set(validation, toFloatPixels(validation)).get(validation)!,
    testSet: testHead(testSize),
  };
}

export interface CurveOptions {
  epochs: number;
  batchSize: number;
  /** Called after each epoch's validation measurement, e.g. to record gradients. */
  afterEpoch?: (epoch: number) => Promise<void>;
}

/**
 * Trains for a fixed number of epochs, measuring validation accuracy and loss after each: rows of
 * kind 'epoch' (deterministic) and timings (training seconds so far, the clock stopped while
 * measuring). Ends with a 'final' row holding the test accuracy, or the divergence.
 */
export async function trainWithCurve(
  model: tfl.LayersModel,
  data: ReturnType<typeof comparisonData> & { trainSet: Split },
  base: Row,
  seed: number,
  options: CurveOptions,
): Promise<{ rows: Row[]; timings: Row[] }> {
  const rows: Row[] = [];
  const timings: Row[] = [];
  const outcome = await train(model, data.trainSet, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    rng: createRng(deriveSeed(seed, 'batches', data.trainSet.count)),
    inputs: data.inputs,
    onEpoch: async (epoch, trainLoss, seconds) => {
      const validation = await score(model, data.validation, data.validationInputs);
      rows.push({ kind: 'epoch', ...base, epoch, trainLoss, valAccuracy: validation.accuracy, valLoss: validation.loss });
      timings.push({ ...base, epoch, seconds });
      await options.afterEpoch?.(epoch);
      // A loss that has become non-finite will not recover: stop and record the divergence.
      return Number.isFinite(validation.loss) ? undefined : 'stop';
    },
  });
  const last = rows.at(-1);
  const diverged = outcome.diverged || (last !== undefined && !Number.isFinite(last.valLoss as number));
  const test = diverged ? null : await score(model, data.testSet, toFloatPixels(data.testSet));
  rows.push({ kind: 'final', ...base, diverged, epochsRun: last?.epoch ?? 0, testAccuracy: test?.accuracy ?? null, params: model.countParams() });
  return { rows, timings };
}
