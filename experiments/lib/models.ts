/** Every model family the experiments train, built with tfjs-layers from a plain-data spec and a seed. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, PIXELS } from './mnist.ts';
import { deriveSeed } from './random.ts';

export type Activation = 'relu' | 'sigmoid' | 'tanh';

export type ModelSpec =
  /** Multinomial logistic regression: one affine layer and a softmax, the "traditional" baseline. */
  | { kind: 'logistic' }
  /** A fully connected network with the given hidden widths. */
  | { kind: 'mlp'; hidden: number[]; activation: Activation };

export interface OptimizerSpec {
  name: 'adam' | 'sgd';
  learningRate: number;
}

export function buildModel(spec: ModelSpec, optimizer: OptimizerSpec, seed: number): tfl.Sequential {
  const model = tfl.sequential();
  const widths = spec.kind === 'mlp' ? spec.hidden : [];
  widths.forEach((units, layer) => {
    model.add(
      tfl.layers.dense({
        units,
        activation: spec.kind === 'mlp' ? spec.activation : 'linear',
        inputShape: layer === 0 ? [PIXELS] : undefined,
        // Explicit seeds: tfjs-layers initialisers otherwise draw from an unseeded generator.
        kernelInitializer: tfl.initializers.glorotUniform({ seed: deriveSeed(seed, 'kernel', layer) }),
      }),
    );
  });
  model.add(
    tfl.layers.dense({
      units: CLASSES,
      activation: 'softmax',
      inputShape: widths.length === 0 ? [PIXELS] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: deriveSeed(seed, 'kernel', widths.length) }),
    }),
  );
  model.compile({
    optimizer: optimizer.name === 'adam' ? tf.train.adam(optimizer.learningRate) : tf.train.sgd(optimizer.learningRate),
    loss: 'categoricalCrossentropy',
  });
  return model;
}

/** A short human name for a spec, used in tables and legends. */
export function describeModel(spec: ModelSpec): string {
  if (spec.kind === 'logistic') return 'logistic regression';
  return `network ${[PIXELS, ...spec.hidden, CLASSES].join('-')} (${spec.activation})`;
}
