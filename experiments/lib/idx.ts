/**
 * A validating reader for the IDX format that MNIST ships in (http://yann.lecun.com/exdb/mnist/).
 * Layout: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
 * then each dimension as a big-endian uint32, then the data.
 */
import { readFileSync } from 'node:fs';

export class IdxError extends Error {
  override name = 'IdxError';
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses IDX bytes; `file` names the source in error messages. `expectedDims` is the rank the caller needs. */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims?: number): IdxArray {
  if (bytes.length < 4) {
    throw new IdxError(`${file}: too short to be an IDX file (${bytes.length} bytes; the header alone is at least 4).`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(
      `${file}: wrong magic number: an IDX file starts with two zero bytes, this one starts with 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}. Is it compressed (gzip starts with 0x1f 0x8b) or another format?`,
    );
  }
  const type = bytes[2]!;
  if (type !== UNSIGNED_BYTE) {
    throw new IdxError(`${file}: unsupported IDX data type 0x${hex(type)}; only unsigned bytes (0x08) are read.`);
  }
  const rank = bytes[3]!;
  if (rank === 0 || (expectedDims !== undefined && rank !== expectedDims)) {
    throw new IdxError(`${file}: has ${rank} dimension(s) where ${expectedDims ?? 'at least 1'} were expected.`);
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxError(`${file}: truncated header: ${bytes.length} bytes, the header of a rank-${rank} file needs ${headerLength}.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expectedLength = headerLength + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expectedLength) {
    const what = bytes.length < expectedLength ? 'truncated' : 'has trailing bytes';
    throw new IdxError(
      `${file}: ${what}: the header declares dimensions ${dims.join('×')} (${expectedLength} bytes in all) but the file has ${bytes.length} bytes.`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

export function readIdxFile(path: string, expectedDims?: number): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new IdxError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return parseIdx(bytes, path, expectedDims);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
