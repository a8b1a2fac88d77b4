/**
 * Arithmetic intensity of a training step, from layer shapes: floating-point operations per byte of
 * memory traffic. The traffic is counted the way a roofline counts it for one operation at a time: each
 * operation (a layer's forward pass, each of its two backward products, an activation, a pooling, the
 * optimiser's update) reads its operands from memory and writes its result back once, in 32-bit floats,
 * with no reuse between operations. A real library fuses some operations and caches small ones, so the
 * counts are a model, not a measurement; what they show is how intensity grows with the shapes.
 */

export const BYTES_PER_FLOAT = 4;

export interface Cost {
  flops: number;
  bytes: number;
}

export type Layer =
  | { kind: 'dense'; inputs: number; units: number }
  | { kind: 'conv'; height: number; width: number; channels: number; filters: number; kernel: number }
  | { kind: 'pool'; height: number; width: number; channels: number }
  | { kind: 'relu'; size: number }
  | { kind: 'softmax-crossentropy'; classes: number };

const add = (...costs: Cost[]): Cost => costs.reduce((a, b) => ({ flops: a.flops + b.flops, bytes: a.bytes + b.bytes }), { flops: 0, bytes: 0 });
const floats = (n: number) => n * BYTES_PER_FLOAT;

/** A matrix product (m × k)(k × n): 2mkn operations, each operand read and the result written once. */
export function matmul(m: number, k: number, n: number): Cost {
  return { flops: 2 * m * k * n, bytes: floats(m * k + k * n + m * n) };
}

/**
 * Forward and backward pass of one layer over a batch. `inputGradient` false leaves out the gradient
 * with respect to the layer's input: the first layer's input is the data, which needs none, and TensorFlow.js
 * computes gradients only along paths to the trained variables.
 */
export function layerCost(layer: Layer, batch: number, inputGradient = true): Cost {
  const none: Cost = { flops: 0, bytes: 0 };
  switch (layer.kind) {
    case 'dense': {
      const { inputs: k, units: n } = layer;
      const bias = { flops: batch * n, bytes: floats(2 * batch * n + n) };
      // y = xW + b; dx = dy Wᵀ; dW = xᵀ dy; db = Σ dy.
      return add(matmul(batch, k, n), bias, inputGradient ? matmul(batch, n, k) : none, matmul(k, batch, n), { flops: batch * n, bytes: floats(batch * n + n) });
    }
    case 'conv': {
      // 'same' padding, stride 1: each output position is a k²·C dot product per filter.
      const { height: h, width: w, channels: c, filters: f, kernel: k } = layer;
      const flops = 2 * batch * h * w * f * k * k * c;
      const input = batch * h * w * c;
      const output = batch * h * w * f;
      const weights = k * k * c * f;
      const pass = (reads: number, writes: number): Cost => ({ flops, bytes: floats(reads + writes) });
      // Forward, the input gradient, the filter gradient; then the bias and its gradient.
      return add(pass(input + weights, output), inputGradient ? pass(output + weights, input) : none, pass(input + output, weights), { flops: 2 * output, bytes: floats(3 * output + 2 * f) });
    }
    case 'pool': {
      // 2×2 max pooling, stride 2: three comparisons per output; the gradient goes back to the maximum.
      const input = batch * layer.height * layer.width * layer.channels;
      return add({ flops: (3 * input) / 4, bytes: floats(input + input / 4) }, { flops: input, bytes: floats(input / 4 + 2 * input) });
    }
    case 'relu': {
      const n = batch * layer.size;
      return add({ flops: n, bytes: floats(2 * n) }, { flops: n, bytes: floats(3 * n) });
    }
    case 'softmax-crossentropy': {
      const n = batch * layer.classes;
      return { flops: 8 * n, bytes: floats(4 * n) };
    }
  }
}

/** Floats Adam moves per parameter: reads weight, gradient and both moments, writes three back. */
export const ADAM_FLOATS_PER_PARAMETER = 7;

/** Adam's update per parameter: about a dozen operations over its seven floats. */
export function adamCost(parameters: number): Cost {
  return { flops: 12 * parameters, bytes: floats(ADAM_FLOATS_PER_PARAMETER * parameters) };
}

export function parameterCount(layers: Layer[]): number {
  return layers.reduce((n, l) => n + (l.kind === 'dense' ? (l.inputs + 1) * l.units : l.kind === 'conv' ? (l.kernel * l.kernel * l.channels + 1) * l.filters : 0), 0);
}

export interface StepCost extends Cost {
  parameters: number;
  /** Operations per byte. */
  intensity: number;
  /** The optimiser update's part of the step. */
  optimiser: Cost;
}

/** One training step: every layer forward and back (the first without an input gradient), then Adam. */
export function trainingStep(layers: Layer[], batch: number): StepCost {
  const parameters = parameterCount(layers);
  const optimiser = adamCost(parameters);
  const cost = add(...layers.map((l, i) => layerCost(l, batch, i > 0)), optimiser);
  return { ...cost, parameters, intensity: cost.flops / cost.bytes, optimiser };
}

/** The layers of an experiment's model spec (experiments/lib/models.ts), on 28 × 28 MNIST images and ten classes. */
export function layersOf(spec: { kind: 'mlp'; hidden: number[] } | { kind: 'cnn'; filters: number[]; dense: number[] }): Layer[] {
  const layers: Layer[] = [];
  let inputs = 28 * 28;
  if (spec.kind === 'cnn') {
    let [size, channels] = [28, 1];
    for (const filters of spec.filters) {
      layers.push({ kind: 'conv', height: size, width: size, channels, filters, kernel: 5 }, { kind: 'relu', size: size * size * filters }, { kind: 'pool', height: size, width: size, channels: filters });
      size /= 2;
      channels = filters;
    }
    inputs = size * size * channels;
  }
  for (const units of spec.kind === 'mlp' ? spec.hidden : spec.dense) {
    layers.push({ kind: 'dense', inputs, units }, { kind: 'relu', size: units });
    inputs = units;
  }
  layers.push({ kind: 'dense', inputs, units: 10 }, { kind: 'softmax-crossentropy', classes: 10 });
  return layers;
}
