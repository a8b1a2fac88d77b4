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
