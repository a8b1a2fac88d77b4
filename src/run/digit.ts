/**
 * A digit drawn by a reader, made into what the model was trained on, as MNIST made its images
 * (LeCun et al.): the ink's bounding box scaled, keeping its aspect ratio, to fit a 20×20 box
 * (anti-aliased: each output pixel averages the area it covers), then placed in a 28×28 image so that
 * its centre of mass lies at the centre. Grey levels 0–255, ink high, as in the MNIST files.
 *
 * Pure (unit-tested in tests/unit/run-digit.test.ts): it reads a square of ink coverage in [0, 1].
 */
import { IMAGE_SIZE, PIXELS } from '../../experiments/lib/split.ts';

const BOX = 20;

/** `ink`: size × size coverage in [0, 1], row-major. Null when nothing is drawn. */
export function toMnist(ink: Float32Array | number[], size: number): Uint8Array | null {
  let top = size, left = size, bottom = -1, right = -1;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (ink[y * size + x]! > 0.05) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
  if (bottom < 0) return null;
  const width = right - left + 1;
  const height = bottom - top + 1;
  const scale = BOX / Math.max(width, height);
  const outW = Math.max(1, Math.round(width * scale));
  const outH = Math.max(1, Math.round(height * scale));
  // Area-averaging resample of the bounding box into outW × outH.
  const box = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++) {
      const x0 = left + (ox * width) / outW, x1 = left + ((ox + 1) * width) / outW;
      const y0 = top + (oy * height) / outH, y1 = top + ((oy + 1) * height) / outH;
      let sum = 0, area = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++)
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const w = (Math.min(x + 1, x1) - Math.max(x, x0)) * (Math.min(y + 1, y1) - Math.max(y, y0));
          if (w <= 0) continue;
          sum += w * ink[y * size + x]!;
          area += w;
        }
      box[oy * outW + ox] = area > 0 ? sum / area : 0;
    }
  // Centre of mass of the box, moved to the image's centre (rounded to whole pixels, clipped to the image).
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const v = box[y * outW + x]!;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  const offsetX = Math.round(IMAGE_SIZE / 2 - cx / mass);
  const offsetY = Math.round(IMAGE_SIZE / 2 - cy / mass);
  const out = new Uint8Array(PIXELS);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const tx = x + Math.min(Math.max(offsetX, 0), IMAGE_SIZE - outW);
      const ty = y + Math.min(Math.max(offsetY, 0), IMAGE_SIZE - outH);
      out[ty * IMAGE_SIZE + tx] = Math.round(255 * Math.min(1, box[y * outW + x]!));
    }
  return out;
}
