/** The training loop and evaluation shared by the experiments: seeded mini-batches, divergence detection. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, toFloatPixels, type Split } from './split.ts';
import { permutation, type Rng } from './random.ts';

/**
 * Training awaits only promises that are already settled, so without this the event loop would not turn
 * for a whole unit: signal handlers (Ctrl-C, a CI cancel), a worker's lost parent and progress timers
 * would all wait for it. A macrotask every YIELD_EVERY_MS of training lets them run; it changes no
 * result. (setImmediate in Node; a zero timeout in the browser's worker.)
 */
const YIELD_EVERY_MS = 100;
const macrotask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

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
  let lastYield = performance.now();
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
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await macrotask();
        lastYield = performance.now();
      }
      if (!Number.isFinite(loss)) return { finalLoss: Number.NaN, diverged: true, steps };
      lossSum += loss;
    }
    finalLoss = lossSum / batchesPerEpoch;
    // The loss alone can hide divergence: the loss function clips probabilities, and on wasm a
    // clipped NaN becomes the clip bound. Weights that overflowed cannot hide.
    if (!(await weightsFinite(model))) return { finalLoss: Number.NaN, diverged: true, steps };
    trainingSeconds += (performance.now() - epochStart) / 1000;
    if ((await options.onEpoch?.(epoch + 1, finalLoss, trainingSeconds)) === 'stop') break;
  }
  return { finalLoss, diverged: false, steps };
}

/**
 * True when every weight is a finite number (their sum is, then; NaN and ±Infinity propagate).
 * Reads are awaited, never synchronous: WebGPU in Node cannot read back synchronously.
 */
export async function weightsFinite(model: tfl.LayersModel): Promise<boolean> {
  const sums = tf.tidy(() => tf.stack(model.getWeights().map((w) => tf.sum(w))));
  const values = await sums.data();
  sums.dispose();
  return values.every(Number.isFinite);
}

/**
 * The size of the loss gradient with respect to each weight matrix (dense kernels and convolution
 * filters), on one batch, listed from the input side (layer 1) to the output: how much learning
 * signal reaches each layer. Reported per weight — the root mean square of the gradient's entries —
 * because a raw matrix norm grows with the matrix's size: a 784×128 layer and a 128×10 layer differ
 * about ninefold in norm from shape alone.
 */
export async function layerGradientRms(model: tfl.LayersModel, x: Float32Array, labels: Uint8Array): Promise<number[]> {
  const count = labels.length;
  const kernels = model.trainableWeights.filter((w) => w.shape.length >= 2).map((w) => w.read() as tf.Variable);
  const rms = tf.tidy(() => {
    const xt = tf.tensor2d(x, [count, x.length / count]);
    const yt = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), CLASSES);
    const { grads } = tf.variableGrads(() => {
      // Cross-entropy of the softmax outputs, as in training.
      const predicted = model.apply(xt, { training: true }) as tf.Tensor;
      return tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.log(tf.clipByValue(predicted, 1e-7, 1))), 1))) as tf.Scalar;
    }, kernels);
    return tf.stack(kernels.map((k) => tf.sqrt(tf.mean(tf.square(grads[k.name]!)))));
  });
  const values = Array.from(await rms.data());
  rms.dispose();
  return values;
}

/** What a model scores on a split: accuracy, and the mean loss that training minimises. */
export interface Scores {
  accuracy: number;
  /** Mean cross-entropy of the softmax outputs, or mean multiclass hinge loss for an SVM. */
  loss: number;
}

/**
 * Accuracy and mean loss on a split, in chunks. `inputs` as in TrainOptions; `loss` names the loss
 * the model was trained on ('hinge' for SVMs, whose outputs are scores rather than probabilities).
 */
export async function score(
  model: tfl.LayersModel,
  data: Split,
  inputs: Float32Array = toFloatPixels(data),
  loss: 'crossentropy' | 'hinge' = 'crossentropy',
  chunk = 2000,
): Promise<Scores> {
  const width = inputs.length / data.count;
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < data.count; start += chunk) {
    const end = Math.min(start + chunk, data.count);
    const [classes, losses] = tf.tidy(() => {
      const xt = tf.tensor2d(inputs.subarray(start * width, end * width), [end - start, width]);
      const yt = tf.oneHot(tf.tensor1d(Array.from(data.labels.subarray(start, end)), 'int32'), CLASSES);
      const out = model.predict(xt) as tf.Tensor2D;
      const perExample =
        loss === 'hinge'
          ? // Crammer–Singer: max(0, 1 + best wrong score − true score), as tfjs's categoricalHinge.
            tf.relu(tf.add(1, tf.sub(tf.max(tf.mul(tf.sub(1, yt), out), 1), tf.sum(tf.mul(yt, out), 1))))
          : tf.neg(tf.sum(tf.mul(yt, tf.log(tf.clipByValue(out, 1e-7, 1))), 1));
      return [tf.argMax(out, -1), tf.sum(perExample)];
    });
    const [predicted, lossTotal] = await Promise.all([classes.data(), losses.data()]);
    classes.dispose();
    losses.dispose();
    for (let i = 0; i < end - start; i++) if (predicted[i] === data.labels[start + i]) correct++;
    lossSum += lossTotal[0]!;
  }
  return { accuracy: correct / data.count, loss: lossSum / data.count };
}

/** Fraction of examples whose highest-scoring class is the label. `inputs` as in TrainOptions. */
export async function accuracy(model: tfl.LayersModel, data: Split, inputs: Float32Array = toFloatPixels(data)): Promise<number> {
  return (await score(model, data, inputs)).accuracy;
}
