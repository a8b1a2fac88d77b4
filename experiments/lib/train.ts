/** The training loop and evaluation shared by the experiments: seeded mini-batches, divergence detection. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, toFloatPixels, type Split } from './mnist.ts';
import { permutation, type Rng } from './random.ts';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  rng: Rng;
  /** The model's input rows for the split (default: pixels scaled to [0, 1]). */
  inputs?: Float32Array;
  /**
   * Called after each epoch (1-based) with its mean training loss and the training time so far, in
   * seconds — the clock stops while the callback runs, so measuring (accuracy, gradients) is not
   * counted as training. Returning 'stop' ends training early (a target reached, a budget spent).
   */
  onEpoch?: (epoch: number, meanLoss: number, trainingSeconds: number) => void | 'stop' | Promise<void | 'stop'>;
}

export interface TrainOutcome {
  /** Mean training loss over the last epoch; NaN when training diverged. */
  finalLoss: number;
  diverged: boolean;
  steps: number;
}

/** Trains in place with mini-batches drawn in a seeded order; stops early (diverged) on a non-finite loss. */
export async function train(model: tfl.LayersModel, data: Split, options: TrainOptions): Promise<TrainOutcome> {
  const x = options.inputs ?? toFloatPixels(data);
  const width = x.length / data.count;
  const batchSize = Math.min(options.batchSize, data.count);
  const batchesPerEpoch = Math.ceil(data.count / batchSize);
  let steps = 0;
  let finalLoss = Number.NaN;
  let trainingSeconds = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const epochStart = performance.now();
    const order = permutation(data.count, options.rng);
    let lossSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, data.count));
      const xs = new Float32Array(indices.length * width);
      const ys = new Float32Array(indices.length * CLASSES);
      indices.forEach((source, i) => {
        xs.set(x.subarray(source * width, (source + 1) * width), i * width);
        ys[i * CLASSES + data.labels[source]!] = 1;
      });
      const xt = tf.tensor2d(xs, [indices.length, width]);
      const yt = tf.tensor2d(ys, [indices.length, CLASSES]);
      const loss = (await model.trainOnBatch(xt, yt)) as number;
      xt.dispose();
      yt.dispose();
      steps++;
      if (!Number.isFinite(loss)) return { finalLoss: Number.NaN, diverged: true, steps };
      lossSum += loss;
    }
    finalLoss = lossSum / batchesPerEpoch;
    // The loss alone can hide divergence: the loss function clips probabilities, and on wasm a
    // clipped NaN becomes the clip bound. Weights that overflowed cannot hide.
    if (!weightsFinite(model)) return { finalLoss: Number.NaN, diverged: true, steps };
    trainingSeconds += (performance.now() - epochStart) / 1000;
    if ((await options.onEpoch?.(epoch + 1, finalLoss, trainingSeconds)) === 'stop') break;
  }
  return { finalLoss, diverged: false, steps };
}

/** True when every weight is a finite number (their sum is, then; NaN and ±Infinity propagate). */
export function weightsFinite(model: tfl.LayersModel): boolean {
  return model.getWeights().every((w) => {
    const sum = tf.sum(w);
    const finite = Number.isFinite(sum.dataSync()[0]);
    sum.dispose();
    return finite;
  });
}

/**
 * The norm of the loss gradient with respect to each dense layer's weight matrix, on one batch: how
 * much learning signal reaches each layer (the vanishing gradient shows as norms that shrink towards
 * the input). Listed from the input side (layer 1) to the output.
 */
export function layerGradientNorms(model: tfl.LayersModel, x: Float32Array, labels: Uint8Array): number[] {
  const count = labels.length;
  const kernels = model.trainableWeights.filter((w) => w.shape.length === 2).map((w) => w.read() as tf.Variable);
  return tf.tidy(() => {
    const xt = tf.tensor2d(x, [count, x.length / count]);
    const yt = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), CLASSES);
    const { grads } = tf.variableGrads(() => {
      // Cross-entropy of the softmax outputs, as in training.
      const predicted = model.apply(xt, { training: true }) as tf.Tensor;
      return tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.log(tf.clipByValue(predicted, 1e-7, 1))), 1))) as tf.Scalar;
    }, kernels);
    return kernels.map((k) => tf.norm(grads[k.name]!).dataSync()[0]!);
  });
}

/** Fraction of examples whose highest-scoring class is the label. `inputs` as in TrainOptions. */
export function accuracy(model: tfl.LayersModel, data: Split, inputs: Float32Array = toFloatPixels(data), chunk = 2000): number {
  const width = inputs.length / data.count;
  let correct = 0;
  for (let start = 0; start < data.count; start += chunk) {
    const end = Math.min(start + chunk, data.count);
    const predicted = tf.tidy(() => {
      const xt = tf.tensor2d(inputs.subarray(start * width, end * width), [end - start, width]);
      return tf.argMax(model.predict(xt) as tf.Tensor, -1);
    });
    const classes = predicted.dataSync();
    predicted.dispose();
    for (let i = 0; i < end - start; i++) if (classes[i] === data.labels[start + i]) correct++;
  }
  return correct / data.count;
}
