/**
 * Splits of MNIST-shaped data and the ways the protocol takes from them: pure code, shared by the
 * Node experiments and the browser's Run it yourself (no file access here; mnist.ts reads the files).
 */
import { permutation, type Rng } from './random.ts';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

export interface Split {
  /** count × 784 grey levels, 0–255, row-major. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * Asking a split for more examples than it holds is an error, never a smaller set: rows would record
 * the size asked for while training used fewer (a smaller MNIST copy through MNIST_DIR, say).
 */
export class DataSizeError extends Error {
  override name = 'DataSizeError';
}

function checkSize(split: Split, size: number, what: string): void {
  if (!Number.isInteger(size) || size < 0) throw new DataSizeError(`${what}: ${size} is not a number of images.`);
  if (size > split.count) {
    throw new DataSizeError(`${what}: needs ${size.toLocaleString('en-US')} images but holds only ${split.count.toLocaleString('en-US')}.`);
  }
}

/** A seeded random subset of `size` examples, in random order; `what` names the split in errors. */
export function sampleSplit(split: Split, size: number, rng: Rng, what = 'the split'): Split {
  checkSize(split, size, what);
  const n = size;
  const order = permutation(split.count, rng).subarray(0, n);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  order.forEach((source, i) => {
    images.set(split.images.subarray(source * PIXELS, (source + 1) * PIXELS), i * PIXELS);
    labels[i] = split.labels[source]!;
  });
  return { images, labels, count: n };
}

/** The first `size` examples (the test set is used in its published order); `what` names the split in errors. */
export function headOfSplit(split: Split, size: number, what = 'the split'): Split {
  checkSize(split, size, what);
  const n = size;
  return { images: split.images.subarray(0, n * PIXELS), labels: split.labels.subarray(0, n), count: n };
}

/** The examples at `indices`, in that order. */
export function pick(split: Split, indices: ArrayLike<number>): Split {
  const images = new Uint8Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i]!;
    images.set(split.images.subarray(source * PIXELS, (source + 1) * PIXELS), i * PIXELS);
    labels[i] = split.labels[source]!;
  }
  return { images, labels, count: indices.length };
}

/** Grey levels scaled to [0, 1], as float32 for the network. */
export function toFloatPixels(split: Split): Float32Array {
  const out = new Float32Array(split.images.length);
  for (let i = 0; i < out.length; i++) out[i] = split.images[i]! / 255;
  return out;
}
