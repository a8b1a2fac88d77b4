/** Seeded randomness: every stochastic choice in an experiment goes through here. */
import seedrandom from 'seedrandom';

export type Rng = () => number;

/** A fast, well-tested generator (Alea) from a seed; the same seed gives the same stream everywhere. */
export function createRng(seed: number | string): Rng {
  return seedrandom.alea(String(seed));
}

/** Fisher–Yates shuffle of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** Derives an independent integer seed for a named sub-task, e.g. (seed, 'init'), so streams never overlap. */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  const rng = createRng([seed, ...labels].join('/'));
  return Math.floor(rng() * 2 ** 31);
}
