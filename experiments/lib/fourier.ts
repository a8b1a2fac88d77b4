/**
 * Random Fourier features (Rahimi & Recht 2007), the kernel SVM's stand-in at any m: z(x) = √(2/D)
 * cos(Wx + b) with W ~ N(0, 2γI) and b ~ U[0, 2π) makes z(x)·z(y) ≈ exp(−γ‖x − y‖²), so a linear model on
 * the D features approximates the RBF-kernel machine (kernel-svm.ts trains the exact one, in Node).
 * Pure code: the browser's Run it yourself builds the same features.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng, deriveSeed } from './random.ts';
import { PIXELS, type Split } from './split.ts';

/** Standard normal draws from a seeded uniform stream (Box–Muller). */
function gaussian(rng: () => number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export interface FourierSpec {
  features: number;
  gamma: number;
  /** Seed of the projection: one fixed draw of W and b, shared by every trial of the model. */
  projectionSeed: number;
}

const projections = new Map<string, { w: Float32Array; b: Float32Array }>();

function projection(spec: FourierSpec): { w: Float32Array; b: Float32Array } {
  const key = `${spec.features}/${spec.gamma}/${spec.projectionSeed}`;
  let p = projections.get(key);
  if (!p) {
    const rng = createRng(deriveSeed(spec.projectionSeed, 'fourier', spec.features, spec.gamma));
    const w = gaussian(rng, PIXELS * spec.features).map((z) => z * Math.sqrt(2 * spec.gamma));
    const b = new Float32Array(spec.features).map(() => rng() * 2 * Math.PI);
    projections.set(key, (p = { w, b }));
  }
  return p;
}

/** Random Fourier features of a split's images (pixels scaled to [0, 1]), row-major [count, D]. */
export async function fourierFeatures(split: Split, spec: FourierSpec, chunk = 2048): Promise<Float32Array> {
  const { w, b } = projection(spec);
  const out = new Float32Array(split.count * spec.features);
  const wt = tf.tensor2d(w, [PIXELS, spec.features]);
  const bt = tf.tensor1d(b);
  const scale = Math.sqrt(2 / spec.features);
  for (let start = 0; start < split.count; start += chunk) {
    const end = Math.min(start + chunk, split.count);
    const z = tf.tidy(() => {
      const pixels = Float32Array.from(split.images.subarray(start * PIXELS, end * PIXELS), (v) => v / 255);
      const x = tf.tensor2d(pixels, [end - start, PIXELS]);
      return tf.mul(tf.cos(tf.add(tf.matMul(x, wt), bt)), scale);
    });
    out.set(await z.data(), start * spec.features);
    z.dispose();
  }
  wt.dispose();
  bt.dispose();
  return out;
}
