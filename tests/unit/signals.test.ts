/**
 * layerSignals (experiments/lib/signals.ts) against a hand computation: a tiny network's forward pass in
 * plain double-precision JavaScript, and each pre-activation's gradient by central finite differences of
 * that forward pass — nothing of tfjs's autodiff. Then a check that the measurement is the backward
 * signal and not the per-weight gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';
import { createRng } from '../../experiments/lib/random.ts';
import { layerSignals } from '../../experiments/lib/signals.ts';

const INPUTS = 5;
const HIDDEN = [4, 3, 3];
const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
const CLASSES = 10;
const COUNT = 6;

const F: Record<string, (z: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  relu: (z) => Math.max(0, z),
};

interface Net {
  kernels: number[][][]; // [layer][in][out]
  biases: number[][];
}

/** Example i's loss, with hidden layer `at`'s pre-activation of unit `unit` shifted by `shift`. */
function lossOf(net: Net, x: number[], label: number, at = -1, unit = -1, shift = 0): number {
  let h = x;
  net.kernels.forEach((kernel, l) => {
    const z = kernel[0]!.map((_, j) => net.biases[l]![j]! + h.reduce((s, hi, i) => s + hi * kernel[i]![j]!, 0) + (l === at && j === unit ? shift : 0));
    h = l < HIDDEN.length ? z.map(F[ACTIVATIONS[l]!]!) : z;
  });
  const max = Math.max(...h);
  const logSum = Math.log(h.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return logSum - h[label]!;
}

function hiddenOutputs(net: Net, x: number[]): number[][] {
  const outs: number[][] = [];
  let h = x;
  net.kernels.slice(0, HIDDEN.length).forEach((kernel, l) => {
    h = kernel[0]!.map((_, j) => F[ACTIVATIONS[l]!]!(net.biases[l]![j]! + h.reduce((s, hi, i) => s + hi * kernel[i]![j]!, 0)));
    outs.push(h);
  });
  return outs;
}

const rms = (values: number[]) => Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);

describe('layerSignals', () => {
  let model: tfl.Sequential;
  let net: Net;
  let xs: number[][];
  let labels: Uint8Array;
  beforeAll(async () => {
    await selectBackend('wasm');
    const rng = createRng(7);
    const normal = () => (rng() + rng() + rng() - 1.5) * 1.2;
    const sizes = [INPUTS, ...HIDDEN, CLASSES];
    net = { kernels: [], biases: [] };
    model = tfl.sequential();
    for (let l = 1; l < sizes.length; l++) {
      const kernel = Array.from({ length: sizes[l - 1]! }, () => Array.from({ length: sizes[l]! }, normal));
      const bias = Array.from({ length: sizes[l]! }, () => 0.2 + normal() * 0.3);
      net.kernels.push(kernel);
      net.biases.push(bias);
      model.add(tfl.layers.dense({ units: sizes[l]!, activation: l <= HIDDEN.length ? ACTIVATIONS[l - 1]! : 'softmax', ...(l === 1 ? { inputShape: [INPUTS] } : {}) }));
      model.layers.at(-1)!.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias)]);
    }
    xs = Array.from({ length: COUNT }, () => Array.from({ length: INPUTS }, () => rng()));
    labels = Uint8Array.from({ length: COUNT }, (_, i) => (i * 3) % CLASSES);
  });

  it('gives each hidden layer the RMS of ∂ℓ/∂z (per example) and of its outputs, as finite differences and a plain forward pass say', async () => {
    const signals = await layerSignals(model, Float32Array.from(xs.flat()), labels);
    expect(signals).toHaveLength(HIDDEN.length);
    const h = 1e-5;
    HIDDEN.forEach((units, l) => {
      const deltas: number[] = [];
      xs.forEach((x, i) => {
        for (let j = 0; j < units; j++) deltas.push((lossOf(net, x, labels[i]!, l, j, h) - lossOf(net, x, labels[i]!, l, j, -h)) / (2 * h));
      });
      const outputs = xs.flatMap((x) => hiddenOutputs(net, x)[l]!);
      expect(rms(deltas)).toBeGreaterThan(1e-4); // a signal to measure, not zeros matching zeros
      expect(signals[l]!.backwardRms, `layer ${l + 1} backward`).toBeCloseTo(rms(deltas), 4);
      expect(Math.abs(signals[l]!.backwardRms / rms(deltas) - 1)).toBeLessThan(1e-3);
      expect(Math.abs(signals[l]!.activationRms / rms(outputs) - 1), `layer ${l + 1} activations`).toBeLessThan(1e-4);
    });
  });

  it('reads a layer\'s outputs from below and its backward signal from above: shrinking the layer above changes only the backward signal', async () => {
    const before = await layerSignals(model, Float32Array.from(xs.flat()), labels);
    // Halve the second hidden layer's kernel: layer 1's backward signal goes through it, layer 1's outputs do not.
    const second = model.layers[1]!;
    const [kernel, bias] = second.getWeights();
    second.setWeights([tf.mul(kernel!, 0.5), bias!]);
    const after = await layerSignals(model, Float32Array.from(xs.flat()), labels);
    second.setWeights([kernel!, bias!]);
    expect(after[0]!.activationRms).toBeCloseTo(before[0]!.activationRms, 6);
    expect(after[0]!.backwardRms).not.toBeCloseTo(before[0]!.backwardRms, 3);
  });
});
