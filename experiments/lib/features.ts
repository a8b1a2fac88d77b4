/**
 * Hand-engineered image features: what a person designs before a linear model, in the tradition of
 * pre-deep-learning vision (pooled intensities, projection profiles, histograms of oriented
 * gradients). 205 numbers per 28×28 digit instead of 784 raw pixels.
 */
import { IMAGE_SIZE, PIXELS, type Split } from './split.ts';

const POOL = 4; // 28/4 = 7×7 average-pooled intensities
const BANDS = 14; // row and column projection profiles, two pixels per band
const CELLS = 4; // 4×4 cells of 7×7 pixels for the orientation histograms
const ORIENTATIONS = 8;

export const FEATURE_COUNT = (IMAGE_SIZE / POOL) ** 2 + 2 * BANDS + CELLS * CELLS * ORIENTATIONS;

/** Features for every image of a split, row-major [count, FEATURE_COUNT], each roughly in [0, 1]. */
export function handFeatures(split: Split): Float32Array {
  const out = new Float32Array(split.count * FEATURE_COUNT);
  const image = new Float32Array(PIXELS);
  for (let n = 0; n < split.count; n++) {
    for (let p = 0; p < PIXELS; p++) image[p] = split.images[n * PIXELS + p]! / 255;
    writeFeatures(image, out.subarray(n * FEATURE_COUNT, (n + 1) * FEATURE_COUNT));
  }
  return out;
}

function writeFeatures(image: Float32Array, out: Float32Array): void {
  let k = 0;
  const cellsPerSide = IMAGE_SIZE / POOL;
  // Pooled intensities: where the ink is, at low resolution.
  for (let r = 0; r < cellsPerSide; r++)
    for (let c = 0; c < cellsPerSide; c++) {
      let sum = 0;
      for (let i = 0; i < POOL; i++) for (let j = 0; j < POOL; j++) sum += image[(r * POOL + i) * IMAGE_SIZE + c * POOL + j]!;
      out[k++] = sum / (POOL * POOL);
    }
  // Projection profiles: how much ink each band of rows and of columns holds.
  const band = IMAGE_SIZE / BANDS;
  for (let b = 0; b < BANDS; b++) {
    let rows = 0;
    let cols = 0;
    for (let i = b * band; i < (b + 1) * band; i++)
      for (let j = 0; j < IMAGE_SIZE; j++) {
        rows += image[i * IMAGE_SIZE + j]!;
        cols += image[j * IMAGE_SIZE + i]!;
      }
    out[k++] = rows / (band * IMAGE_SIZE);
    out[k++] = cols / (band * IMAGE_SIZE);
  }
  // Histograms of oriented gradients (Sobel), magnitude-weighted, per cell, normalised per image.
  const cell = IMAGE_SIZE / CELLS;
  const start = k;
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= IMAGE_SIZE || c >= IMAGE_SIZE ? 0 : image[r * IMAGE_SIZE + c]!);
  for (let r = 0; r < IMAGE_SIZE; r++)
    for (let c = 0; c < IMAGE_SIZE; c++) {
      const gx = at(r - 1, c + 1) + 2 * at(r, c + 1) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r, c - 1) - at(r + 1, c - 1);
      const gy = at(r + 1, c - 1) + 2 * at(r + 1, c) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r - 1, c) - at(r - 1, c + 1);
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      // Unsigned orientation in [0, π): a stroke's direction, not which side is dark.
      const angle = (Math.atan2(gy, gx) + Math.PI) % Math.PI;
      const bin = Math.min(ORIENTATIONS - 1, Math.floor((angle / Math.PI) * ORIENTATIONS));
      const cellIndex = Math.floor(r / cell) * CELLS + Math.floor(c / cell);
      out[start + cellIndex * ORIENTATIONS + bin]! += magnitude;
    }
  let norm = 0;
  for (let i = start; i < start + CELLS * CELLS * ORIENTATIONS; i++) norm += out[i]! ** 2;
  // Unit root-mean-square per element (not unit norm overall), so these features sit on the same
  // scale as the intensities and a linear model trained with the same step size can use them.
  const count = CELLS * CELLS * ORIENTATIONS;
  norm = Math.sqrt(norm / count) || 1;
  for (let i = start; i < start + count; i++) out[i] = out[i]! / norm;
}
