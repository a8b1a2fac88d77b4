/** Every model family the experiments train, built with tfjs-layers from a plain-data spec and a seed. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, IMAGE_SIZE, PIXELS } from './mnist.ts';
import { createOptimizer, type OptimizerSpec } from './optimizers.ts';
import { deriveSeed } from './random.ts';

export type Activation = 'relu' | 'sigmoid' | 'tanh';

export type ModelSpec =
  /** Multinomial logistic regression: one affine layer and a softmax, the "traditional" baseline. */
  | { kind: 'logistic' }
  /** A fully connected network with the given hidden widths. */
  | { kind: 'mlp'; hidden: number[]; activation: Activation }
  /**
   * A LeNet-style convolutional network: 5×5 convolutions ('same' padding) each followed by 2×2 max
   * pooling, then fully connected layers.
   */
  | { kind: 'cnn'; filters: number[]; dense: number[]; activation: Activation };

export type { OptimizerSpec } from './optimizers.ts';

export function buildModel(spec: ModelSpec, optimizer: OptimizerSpec, seed: number): tfl.Sequential {
  const model = tfl.sequential();
  let layer = 0;
  // Explicit seeds: tfjs-layers initialisers otherwise draw from an unseeded generator.
  const init = () => tfl.initializers.glorotUniform({ seed: deriveSeed(seed, 'kernel', layer++) });
  // Every model reads flat rows of 784 pixels; the first layer declares that input.
  const input = () => (model.layers.length === 0 ? { inputShape: [PIXELS] } : {});
  if (spec.kind === 'cnn') {
    model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIZE, IMAGE_SIZE, 1], ...input() }));
    for (const filters of spec.filters) {
      model.add(tfl.layers.conv2d({ filters, kernelSize: 5, padding: 'same', activation: spec.activation, kernelInitializer: init() }));
      model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    }
    model.add(tfl.layers.flatten());
  }
  const hidden = spec.kind === 'mlp' ? spec.hidden : spec.kind === 'cnn' ? spec.dense : [];
  for (const units of hidden) {
    const activation = spec.kind === 'logistic' ? 'linear' : spec.activation;
    model.add(tfl.layers.dense({ units, activation, kernelInitializer: init(), ...input() }));
  }
  model.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(), ...input() }));
  model.compile({
    optimizer: createOptimizer(optimizer),
    loss: 'categoricalCrossentropy',
  });
  return model;
}

/** A short human name for a spec, used in tables and legends. */
export function describeModel(spec: ModelSpec): string {
  if (spec.kind === 'logistic') return 'logistic regression';
  if (spec.kind === 'cnn') return `CNN conv5×5 ${spec.filters.join('-')}, dense ${[...spec.dense, CLASSES].join('-')} (${spec.activation})`;
  return `network ${[PIXELS, ...spec.hidden, CLASSES].join('-')} (${spec.activation})`;
}
