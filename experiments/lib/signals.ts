/**
 * The mechanism of the vanishing gradient measured where it acts: for each hidden layer l of a fully
 * connected network, the backward signal δ_l = ∂ℓ/∂z_l, the gradient of the loss with respect to the
 * layer's pre-activations z_l = W_l h_{l−1} + b_l (before the nonlinearity), and, separately, the
 * layer's activations h_l = f(z_l). The per-weight gradient ∂ℓ/∂W_l = h_{l−1}ᵀ δ_l (train.ts
 * layerGradientRms) mixes the two: a backward signal that halves per layer and a forward signal that
 * doubles per layer cancel in it, which is why Glorot & Bengio (2010) look at both halves apart.
 *
 * tfjs-layers does not expose a Dense layer's pre-activation when the activation is built in, so the
 * forward pass is recomputed here from each layer's kernel and bias, with a zero tensor ε_l added to
 * every z_l: ∂ℓ/∂ε_l at ε = 0 is exactly ∂ℓ/∂z_l, and tf.grads gives all of them in one backward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES } from './split.ts';

export interface LayerSignal {
  /**
   * Root mean square, over the probe batch and the layer's units, of ∂ℓ_i/∂z_l for each example i's own
   * loss ℓ_i (cross-entropy of the softmax, clipped as in training): the backward signal per example.
   * (The gradient of the batch's mean loss is this divided by the batch size.)
   */
  backwardRms: number;
  /** Root mean square, over the probe batch and the layer's units, of the layer's outputs h_l = f(z_l). */
  activationRms: number;
}

function activate(name: string, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'softmax':
      return tf.softmax(z);
    case 'linear':
      return z;
    default:
      throw new Error(`layerSignals: activation "${name}" is not supported (relu, tanh, sigmoid, softmax, linear)`);
  }
}

/**
 * The backward and forward signal of every hidden layer of a stack of Dense layers ending in a softmax
 * layer (models.ts buildModel's 'mlp'), on one batch, listed from the input side (layer 1).
 */
export async function layerSignals(model: tfl.LayersModel, x: Float32Array, labels: Uint8Array): Promise<LayerSignal[]> {
  const count = labels.length;
  const layers = model.layers.map((layer) => {
    const [kernel, bias] = layer.getWeights();
    const activation = (layer.getConfig() as { activation?: string }).activation;
    if (!kernel || !bias || kernel.shape.length !== 2 || activation === undefined) {
      throw new Error(`layerSignals: layer ${layer.name} is not a Dense layer with a bias (only fully connected networks are measured)`);
    }
    return { kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D, activation };
  });
  const hidden = layers.slice(0, -1);
  if (layers.at(-1)!.activation !== 'softmax') throw new Error('layerSignals: the last layer must be a softmax (cross-entropy loss)');
  const out = tf.tidy(() => {
    const xt = tf.tensor2d(x, [count, x.length / count]);
    const yt = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), CLASSES);
    // The summed loss over the batch: its gradient with respect to z_l holds each example's own ∂ℓ_i/∂z_l.
    const lossOf = (...epsilons: tf.Tensor[]): tf.Scalar => {
      let h: tf.Tensor = xt;
      hidden.forEach(({ kernel, bias, activation }, l) => {
        h = activate(activation, tf.add(tf.add(tf.matMul(h as tf.Tensor2D, kernel), bias), epsilons[l]!));
      });
      const top = layers.at(-1)!;
      const predicted = tf.softmax(tf.add(tf.matMul(h as tf.Tensor2D, top.kernel), top.bias));
      return tf.neg(tf.sum(tf.mul(yt, tf.log(tf.clipByValue(predicted, 1e-7, 1))))) as tf.Scalar;
    };
    const zeros = hidden.map(({ kernel }) => tf.zeros([count, kernel.shape[1]]));
    const deltas = tf.grads(lossOf)(zeros);
    const rms = (t: tf.Tensor) => tf.sqrt(tf.mean(tf.square(t)));
    // The outputs again, outside the gradient's forward pass (tf.grads disposes its intermediates).
    const activations: tf.Tensor[] = [];
    hidden.reduce<tf.Tensor>((h, { kernel, bias, activation }) => {
      const next = activate(activation, tf.add(tf.matMul(h as tf.Tensor2D, kernel), bias));
      activations.push(next);
      return next;
    }, xt);
    return tf.stack([tf.stack(deltas.map(rms)), tf.stack(activations.map(rms))]);
  });
  const values = await out.array();
  out.dispose();
  const [backward, forward] = values as number[][];
  return backward!.map((backwardRms, l) => ({ backwardRms, activationRms: forward![l]! }));
}
