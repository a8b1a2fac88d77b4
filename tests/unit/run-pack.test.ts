/** The MNIST pack of "Run it yourself" (src/run/pack.ts) and the comparison with a committed row (src/run/compare.ts). */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PIXELS } from '../../experiments/lib/mnist.ts';
import { compareRows } from '../../src/run/compare.ts';
import { decodePack, encodePack, isGzip } from '../../src/run/pack.ts';

const split = (count: number) => ({
  images: Uint8Array.from({ length: count * PIXELS }, (_, i) => (i * 7) % 256),
  labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
  count,
});

describe('MNIST pack', () => {
  it('round-trips a split, through gzip too', () => {
    const original = split(3);
    const packed = gzipSync(encodePack(original));
    expect(isGzip(packed)).toBe(true);
    const back = decodePack(gunzipSync(packed), 'x.bin');
    expect(back.count).toBe(3);
    expect([...back.labels]).toEqual([...original.labels]);
    expect(Buffer.from(back.images).equals(Buffer.from(original.images))).toBe(true);
  });

  it('names the file and the fault', () => {
    expect(() => decodePack(new Uint8Array(20), '/run/mnist/validation.bin')).toThrowErrorMatchingInlineSnapshot(`[PackError: /run/mnist/validation.bin: not an MNIST pack (no "MNPK" header).]`);
    const truncated = encodePack(split(2)).subarray(0, 100);
    expect(() => decodePack(truncated, 'a.bin')).toThrowErrorMatchingInlineSnapshot(`[PackError: a.bin: holds 100 bytes, 2 images need 1582.]`);
    const badLabel = encodePack(split(2));
    badLabel[12] = 11;
    expect(() => decodePack(badLabel, 'b.bin')).toThrowErrorMatchingInlineSnapshot(`[PackError: b.bin: label 11 at index 0 is not a digit 0–9.]`);
  });
});

describe('comparing a run with a committed row', () => {
  it('is identical only when every shared field is the same number', () => {
    const ours = { testAccuracy: 0.8123, keptEpoch: 125, epochsRun: 250, model: 'logistic' };
    expect(compareRows(ours, { ...ours }).identical).toBe(true);
    const differs = compareRows(ours, { ...ours, testAccuracy: 0.8124 });
    expect(differs.identical).toBe(false);
    expect(differs.fields.filter((f) => !f.equal).map((f) => f.field)).toEqual(['testAccuracy']);
    // Nothing in common: nothing to claim.
    expect(compareRows({ a: 1 }, { b: 1 }).identical).toBe(false);
  });
});
