/** Every model family the experiments train, built with tfjs-layers from a plain-data spec and a seed. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FEATURE_COUNT, handFeatures } from './features.ts';
import { fourierFeatures } from './fourier.ts';
import { CLASSES, IMAGE_SIZE, PIXELS, toFloatPixels, type Split } from './split.ts';
import { createOptimizer, type OptimizerSpec } from './optimizers.ts';
import { deriveSeed } from './random.ts';

export type Activation = 'relu' | 'sigmoid' | 'tanh';

export type ModelSpec =
  /** Multinomial logistic regression: one affine layer and a softmax, the "traditional" baseline. */
  | { kind: 'logistic'; l2?: number }
  /** Logistic regression on hand-engineered features (features.ts) instead of raw pixels. */
  | { kind: 'features-logistic'; l2?: number }
  /**
   * A linear support vector machine: one affine layer trained on the multiclass hinge loss
   * (Crammer–Singer) with an L2 penalty on the weights, by the same mini-batch optimiser.
   */
  | { kind: 'linear-svm'; l2: number }
  /**
   * An RBF-kernel SVM approximated by random Fourier features (kernel-svm.ts): a linear SVM, as
   * above, on D random features of the pixels instead of the pixels.
   */
  | { kind: 'rff-svm'; l2: number; features: number; gamma: number; projectionSeed: number }
  /**
   * An exact RBF-kernel SVM (libsvm); not a tfjs model: trials train it apart (kernel-svm.ts). γ is
   * chosen on validation from `gammas`, and C from `costs` when given (since v3), else C is `cost`.
   */
  | { kind: 'rbf-svm'; cost: number; gammas: number[]; costs?: number[] }
  /**
   * A fully connected network with the given hidden widths. `init` 'he' draws the hidden layers'
   * weights with He et al.'s (2015) variance 2/fan-in, made for ReLU; Glorot & Bengio's otherwise.
   */
  | { kind: 'mlp'; hidden: number[]; activation: Activation; init?: 'glorot' | 'he'; l2?: number }
  /**
   * A LeNet-style convolutional network: 5×5 convolutions ('same' padding) each followed by 2×2 max
   * pooling, then fully connected layers.
   */
  | { kind: 'cnn'; filters: number[]; dense: number[]; activation: Activation; l2?: number };

/**
 * The L2 penalty on every weight matrix (not the biases): λ·Σw² added to the mean loss. For the linear
 * SVMs it is part of the model; for the others it is the weight decay chosen on validation (tuning.ts).
 * Absent means none.
 */
export function l2Of(spec: ModelSpec): number | undefined {
  return 'l2' in spec && spec.l2 ? spec.l2 : undefined;
}

export type { OptimizerSpec } from './optimizers.ts';

export function buildModel(spec: ModelSpec, optimizer: OptimizerSpec, seed: number): tfl.Sequential {
  if (spec.kind === 'rbf-svm') throw new Error('An exact kernel SVM is not a tfjs model: train it with exactRbfSvm (kernel-svm.ts).');
  const model = tfl.sequential();
  let layer = 0;
  // Explicit seeds: tfjs-layers initialisers otherwise draw from an unseeded generator.
  const init = (hiddenLayer = false) => {
    const kernelSeed = deriveSeed(seed, 'kernel', layer++);
    return hiddenLayer && spec.kind === 'mlp' && spec.init === 'he' ? tfl.initializers.heNormal({ seed: kernelSeed }) : tfl.initializers.glorotUniform({ seed: kernelSeed });
  };
  const l2 = l2Of(spec);
  const regularizer = () => (l2 === undefined ? {} : { kernelRegularizer: tfl.regularizers.l2({ l2 }) });
  // Every model reads flat rows (784 pixels, or the features); the first layer declares that input.
  const input = () => (model.layers.length === 0 ? { inputShape: [inputSize(spec)] } : {});
  if (spec.kind === 'cnn') {
    model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIZE, IMAGE_SIZE, 1], ...input() }));
    for (const filters of spec.filters) {
      model.add(tfl.layers.conv2d({ filters, kernelSize: 5, padding: 'same', activation: spec.activation, kernelInitializer: init(), ...regularizer() }));
      model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    }
    model.add(tfl.layers.flatten());
  }
  const hidden = spec.kind === 'mlp' ? spec.hidden : spec.kind === 'cnn' ? spec.dense : [];
  for (const units of hidden) {
    const activation = spec.kind === 'mlp' || spec.kind === 'cnn' ? spec.activation : 'linear';
    model.add(tfl.layers.dense({ units, activation, kernelInitializer: init(true), ...regularizer(), ...input() }));
  }
  if (spec.kind === 'linear-svm' || spec.kind === 'rff-svm') {
    model.add(tfl.layers.dense({ units: CLASSES, kernelInitializer: init(), ...regularizer(), ...input() }));
  } else {
    model.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(), ...regularizer(), ...input() }));
  }
  model.compile({
    optimizer: createOptimizer(optimizer),
    loss: lossOf(spec) === 'hinge' ? 'categoricalHinge' : 'categoricalCrossentropy',
  });
  return model;
}

/** The loss a model is trained on: the multiclass hinge for SVMs, cross-entropy for the rest. */
export function lossOf(spec: ModelSpec): 'hinge' | 'crossentropy' {
  return spec.kind === 'linear-svm' || spec.kind === 'rff-svm' || spec.kind === 'rbf-svm' ? 'hinge' : 'crossentropy';
}

/** The width of a model's input rows. */
export function inputSize(spec: ModelSpec): number {
  if (spec.kind === 'features-logistic') return FEATURE_COUNT;
  if (spec.kind === 'rff-svm') return spec.features;
  return PIXELS;
}

/** What a model's input rows depend on: not its penalty, rate or width, only how pixels become inputs. */
export function inputKind(spec: ModelSpec): string {
  if (spec.kind === 'features-logistic') return 'features';
  if (spec.kind === 'rff-svm') return `rff:${spec.features}:${spec.gamma}:${spec.projectionSeed}`;
  return 'pixels';
}

/**
 * Input rows made for a split, kept while the split lives. Tuning trains every setting of one model on
 * one split at once (tuning.ts pauses candidates between rungs): 16 random-feature SVM candidates at
 * 55,000 images would otherwise hold 16 copies of 880 MB of features. Training only reads them.
 */
const inputsBySplit = new WeakMap<Split, Map<string, Promise<Float32Array>>>();

/** A model's input rows for a split: pixels scaled to [0, 1], hand-engineered or random features. */
export function modelInputs(spec: ModelSpec, split: Split): Promise<Float32Array> {
  let made = inputsBySplit.get(split);
  if (!made) inputsBySplit.set(split, (made = new Map()));
  const kind = inputKind(spec);
  let inputs = made.get(kind);
  if (!inputs) {
    inputs = (async () => {
      if (spec.kind === 'features-logistic') return handFeatures(split);
      if (spec.kind === 'rff-svm') return fourierFeatures(split, spec);
      return toFloatPixels(split);
    })();
    made.set(kind, inputs);
    // A failed computation is not kept: the next call tries again.
    inputs.catch(() => made.delete(kind));
  }
  return inputs;
}

/** A short human name for a spec, used in tables and legends. */
export function describeModel(spec: ModelSpec): string {
  const penalty = spec.kind !== 'linear-svm' && spec.kind !== 'rff-svm' && l2Of(spec) !== undefined ? `, L2 ${l2Of(spec)}` : '';
  if (spec.kind === 'logistic') return `logistic regression${penalty}`;
  if (spec.kind === 'features-logistic') return `logistic regression on ${FEATURE_COUNT} hand-engineered features${penalty}`;
  if (spec.kind === 'linear-svm') return `linear SVM (multiclass hinge loss, L2 ${spec.l2})`;
  if (spec.kind === 'rff-svm') return `RBF-kernel SVM approximated by ${spec.features} random Fourier features (γ ${spec.gamma}; linear SVM, L2 ${spec.l2})`;
  if (spec.kind === 'rbf-svm') {
    return spec.costs
      ? `exact RBF-kernel SVM (libsvm C-SVC, γ from ${spec.gammas.join(', ')} and C from ${spec.costs.join(', ')} chosen on validation)`
      : `exact RBF-kernel SVM (libsvm C-SVC, C ${spec.cost}, γ chosen on validation from ${spec.gammas.join(', ')})`;
  }
  if (spec.kind === 'cnn') return `CNN conv5×5 ${spec.filters.join('-')}, dense ${[...spec.dense, CLASSES].join('-')} (${spec.activation}${penalty})`;
  return `network ${[PIXELS, ...spec.hidden, CLASSES].join('-')} (${spec.activation}${spec.init === 'he' ? ', He init' : ''}${penalty})`;
}
