/**
 * Our wasm kernels against the plain JavaScript (cpu) backend, on random inputs: the reference is
 * TensorFlow.js's own cpu implementation of the same ops and gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Runs `compute` on the given backend with fresh seeded inputs and returns the values. */
async function on(backend: 'cpu' | 'wasm', compute: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(compute);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(list);
  return values;
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i]! - expected[i]!) ** 2;
    norm += expected[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
}

async function compare(compute: () => tf.Tensor | tf.Tensor[]) {
  const expected = await on('cpu', compute);
  const actual = await on('wasm', compute);
  expect(actual.length).toBe(expected.length);
  return actual.map((a, i) => relativeError(a, expected[i]!));
}

describe('wasm matMul with transposes', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA=%s transposeB=%s matches cpu', async (transposeA, transposeB) => {
    const errors = await compare(() => {
      const a = tf.randomNormal(transposeA ? [3, 37, 29] : [3, 29, 37], 0, 1, 'float32', 1);
      const b = tf.randomNormal(transposeB ? [3, 23, 37] : [3, 37, 23], 0, 1, 'float32', 2);
      return tf.matMul(a, b, transposeA, transposeB);
    });
    expect(errors[0]).toBeLessThan(1e-5);
  });

  // Shapes where the cheaper plan is the swapped one, (Bᵀ·A)ᵀ or (B·Aᵀ)ᵀ: a small A beside a large B.
  it.each([
    [true, false, [2, 64, 4], [2, 64, 48]],
    [false, true, [1, 4, 64], [1, 96, 64]],
    [false, true, [3, 5, 40], [1, 70, 40]],
  ] as const)('transposeA=%s transposeB=%s on a small A and a large B matches cpu', async (transposeA, transposeB, aShape, bShape) => {
    const errors = await compare(() =>
      tf.matMul(tf.randomNormal([...aShape], 0, 1, 'float32', 14), tf.randomNormal([...bShape], 0, 1, 'float32', 15), transposeA, transposeB),
    );
    expect(errors[0]).toBeLessThan(1e-5);
  });

  it('dense-layer gradients (fused matMul with bias and relu) match cpu', async () => {
    const errors = await compare(() => {
      const x = tf.randomNormal([16, 50], 0, 1, 'float32', 3);
      const w = tf.randomNormal([50, 20], 0, 0.3, 'float32', 4);
      const b = tf.randomNormal([20], 0, 0.1, 'float32', 5);
      const f = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.sum(tf.square(tf.fused.matMul({ a: x, b: w, bias: b, activation: 'relu' })));
      return tf.grads(f as never)([x, w, b]);
    });
    for (const e of errors) expect(e).toBeLessThan(1e-5);
  });
});

describe('wasm Conv2DBackpropFilter', () => {
  it.each([
    ['valid', 1, 5],
    ['same', 1, 5],
    ['same', 2, 3],
    ['valid', 2, 3],
  ] as const)('pad=%s, stride %i, %i-pixel filter matches cpu', async (pad, stride, size) => {
    const errors = await compare(() => {
      const x = tf.randomNormal([4, 13, 11, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
      const filter = tf.randomNormal([size, size, 3, 5], 0, 0.3, 'float32', 7) as tf.Tensor4D;
      const loss = (f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, stride, pad)));
      return tf.grad(loss)(filter);
    });
    expect(errors[0]).toBeLessThan(1e-4);
  });
});

describe('wasm Conv2DBackpropInput (stride 1 as a forward convolution)', () => {
  it.each([
    ['same', 1, 5],
    ['valid', 1, 5],
    ['same', 1, 3],
    ['same', 2, 3], // strided: the original kernel
  ] as const)('pad=%s, stride %i, %i-pixel filter matches cpu', async (pad, stride, size) => {
    const errors = await compare(() => {
      const x = tf.randomNormal([4, 14, 12, 6], 0, 1, 'float32', 8) as tf.Tensor4D;
      const filter = tf.randomNormal([size, size, 6, 16], 0, 0.3, 'float32', 9) as tf.Tensor4D;
      const loss = (input: tf.Tensor) => tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, filter, stride, pad)));
      return tf.grad(loss)(x);
    });
    expect(errors[0]).toBeLessThan(1e-4);
  });
});

describe('wasm MaxPoolGrad', () => {
  it.each([
    [2, 2, 'valid'],
    [3, 1, 'same'],
    [3, 2, 'same'],
  ] as const)('%i-pixel window, stride %i, pad %s matches cpu, ties after a ReLU included', async (size, stride, pad) => {
    const errors = await compare(() => {
      // relu makes many zeros: windows with tied maxima, where the rule for who gets dy matters.
      const x = tf.relu(tf.randomNormal([3, 9, 10, 4], 0, 1, 'float32', 10)) as tf.Tensor4D;
      const loss = (input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, size, stride, pad), tf.randomNormal([1], 1, 0.1, 'float32', 11)));
      return tf.grad(loss)(x);
    });
    expect(errors[0]).toBeLessThan(1e-6);
  });
});

describe('fused Adam on wasm', () => {
  it('follows tf.train.adam on the cpu backend step for step', async () => {
    const { createOptimizer } = await import('../../experiments/lib/optimizers.ts');
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const w = tf.variable(tf.randomNormal([37, 11], 0, 1, 'float32', 12));
      const target = tf.randomNormal([37, 11], 0, 1, 'float32', 13);
      const optimizer = backend === 'wasm' ? createOptimizer({ name: 'adam', learningRate: 0.01 }) : tf.train.adam(0.01);
      for (let i = 0; i < 20; i++) optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar);
      const values = (await w.data()) as Float32Array;
      tf.dispose([w, target]);
      optimizer.dispose();
      return values;
    };
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
  });
});

describe('fused Adam inside a tfjs-layers model on wasm', () => {
  it('trains a dense network exactly as tf.train.adam does on cpu (weights are never changed in place)', async () => {
    const { buildModel } = await import('../../experiments/lib/models.ts');
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const model = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu' }, { name: 'adam', learningRate: 0.01 }, 3);
      const x = tf.randomUniform([32, 784], 0, 1, 'float32', 16);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10);
      const losses: number[] = [];
      for (let i = 0; i < 10; i++) losses.push((await model.trainOnBatch(x, y)) as number);
      const weights = (await model.getWeights()[0]!.data()) as Float32Array;
      tf.dispose([x, y]);
      model.dispose();
      return { losses, weights };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    // The loss must fall on wasm as it does on cpu: stale weights in a cached matMul would stall it.
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]! * 0.9);
    expect(relativeError(wasm.weights, cpu.weights)).toBeLessThan(1e-4);
  });
});
