/**
 * The MNIST pack format of "Run it yourself": one split (images and labels) as uint8, gzipped once at
 * build time so that every static host sends it compressed, whatever it does with unknown file types.
 *
 *   bytes 0–3   "MNPK"
 *   byte  4     format version (1)
 *   bytes 5–7   0
 *   bytes 8–11  count, little-endian uint32
 *   then        count labels (one byte each), then count × 784 grey levels (row-major, 0–255)
 *
 * Browser-safe: no Node imports (the build side gzips with node:zlib in the endpoint).
 */
import { PIXELS } from '../../experiments/lib/split.ts';
import type { Split } from '../../experiments/lib/split.ts';

const MAGIC = [0x4d, 0x4e, 0x50, 0x4b]; // "MNPK"
const VERSION = 1;
const HEADER = 12;

export class PackError extends Error {
  override name = 'PackError';
}

/** The uncompressed bytes of a split. */
export function encodePack(split: Split): Uint8Array {
  const out = new Uint8Array(HEADER + split.count + split.count * PIXELS);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  new DataView(out.buffer).setUint32(8, split.count, true);
  out.set(split.labels.subarray(0, split.count), HEADER);
  out.set(split.images.subarray(0, split.count * PIXELS), HEADER + split.count);
  return out;
}

/** A split from the uncompressed bytes of a pack; `name` (its address) goes into every error. */
export function decodePack(bytes: Uint8Array, name: string): Split {
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) throw new PackError(`${name}: not an MNIST pack (no "MNPK" header).`);
  if (bytes[4] !== VERSION) throw new PackError(`${name}: pack format ${bytes[4]}, this page reads format ${VERSION}.`);
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const expected = HEADER + count + count * PIXELS;
  if (bytes.length !== expected) throw new PackError(`${name}: holds ${bytes.length} bytes, ${count} images need ${expected}.`);
  const labels = bytes.subarray(HEADER, HEADER + count);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new PackError(`${name}: label ${labels[bad]} at index ${bad} is not a digit 0–9.`);
  return { labels, images: bytes.subarray(HEADER + count, expected), count };
}

/** True when the bytes start with gzip's magic number (a host that decompressed for us sends the pack itself). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}
