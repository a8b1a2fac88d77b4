/**
 * Optimisers for the experiments. Adam is tfjs's own, except that on the wasm backend each variable's
 * step runs as one fused kernel (wasm-kernels.ts): same formula, same state, far fewer passes over
 * memory (measured: the optimiser took a fifth of an MLP training step before).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE } from './wasm-kernels.ts';

export interface OptimizerSpec {
  name: 'adam' | 'sgd' | 'momentum' | 'rmsprop';
  learningRate: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7; // tfjs's default (backend epsilon)

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** AdamOptimizer's state, private in its type declarations; we reuse it so save/restore still work. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

class FusedAdam extends tf.AdamOptimizer {
  /**
   * β₁ᵗ and β₂ᵗ kept on the host beside accBeta1/accBeta2, so a step never reads a tensor back (a
   * synchronous read stalls the pipeline, and the WebGPU backend cannot do one in Node at all).
   * Computed as the backend computes them — float32 products — so they equal the variables' values.
   */
  private beta1Power = Math.fround(BETA1);
  private beta2Power = Math.fround(BETA2);

  constructor(learningRate: number) {
    super(learningRate, BETA1, BETA2, EPSILON);
  }

  override async setWeights(weightValues: Parameters<tf.AdamOptimizer['setWeights']>[0]): Promise<void> {
    await super.setWeights(weightValues);
    const state = this as unknown as AdamState;
    this.beta1Power = (await state.accBeta1.data())[0]!;
    this.beta2Power = (await state.accBeta2.data())[0]!;
  }

  override applyGradients(variableGradients: Gradients): void {
    if (tf.getBackend() !== 'wasm') {
      super.applyGradients(variableGradients);
      this.advancePowers();
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const correction1 = 1 - this.beta1Power;
    const correction2 = 1 - this.beta2Power;
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : (variableGradients as tf.NamedTensorMap)[name];
      if (gradient == null) return;
      const m = state.accumulatedFirstMoment[i].variable;
      const v = state.accumulatedSecondMoment[i].variable;
      const step = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, correction1, correction2 };
      // New tensors, never an update in place: the wasm backend caches XNNPACK operators with the
      // weights packed inside, keyed by the weight tensor's id, so weights changed in place would
      // leave every matMul computing with the old ones (measured: Adam stopped learning).
      const [x2, m2, v2] = tf.engine().runKernel(ADAM_UPDATE, { x: value, m, v, g: gradient }, { ...step }) as tf.Tensor[];
      value.assign(x2!);
      m.assign(m2!);
      v.assign(v2!);
      tf.dispose([x2!, m2!, v2!]);
    });
    tf.tidy(() => {
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.advancePowers();
    this.incrementIterations();
  }

  /** One step's worth of β₁ᵗ⁺¹ = β₁ᵗ·β₁ (and β₂), as tf.AdamOptimizer advances accBeta1/accBeta2. */
  private advancePowers(): void {
    this.beta1Power = Math.fround(this.beta1Power * Math.fround(this.beta1));
    this.beta2Power = Math.fround(this.beta2Power * Math.fround(this.beta2));
  }
}

export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.name) {
    case 'adam':
      return new FusedAdam(spec.learningRate);
    case 'momentum':
      return tf.train.momentum(spec.learningRate, 0.9);
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate);
  }
}
