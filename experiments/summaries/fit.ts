/** Power-law fits of error against training-set size: log10(error) = intercept + exponent · log10(m). */
import { linearRegression, rSquared, linearRegressionLine } from 'simple-statistics';
import { createRng } from '../lib/random.ts';

export interface PowerLawFit {
  exponent: number;
  /** Standard error of the exponent (ordinary least squares on the log-log points). */
  exponentStderr: number;
  /** Error predicted at m = 1, i.e. 10^intercept. */
  coefficient: number;
  r2: number;
  points: number;
}

/** Fits error ≈ coefficient · m^exponent to (m, error) points; needs at least three distinct sizes. */
export function fitPowerLaw(points: { m: number; error: number }[]): PowerLawFit | undefined {
  // A zero error has no logarithm; such points sit at the floor of what the test set can resolve.
  const usable = points.filter((p) => p.m > 0 && p.error > 0);
  const distinct = new Set(usable.map((p) => p.m)).size;
  if (distinct < 3) return undefined;
  const xy = usable.map((p) => [Math.log10(p.m), Math.log10(p.error)] as [number, number]);
  const line = linearRegression(xy);
  const predict = linearRegressionLine(line);
  const meanX = xy.reduce((s, [x]) => s + x, 0) / xy.length;
  const sxx = xy.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
  const sse = xy.reduce((s, [x, y]) => s + (y - predict(x)) ** 2, 0);
  const exponentStderr = xy.length > 2 ? Math.sqrt(sse / (xy.length - 2) / sxx) : Number.NaN;
  return { exponent: line.m, exponentStderr, coefficient: 10 ** line.b, r2: rSquared(xy, predict), points: xy.length };
}

/**
 * Hestness et al. 2017's learning-curve form with an irreducible-error term: error ≈ α·m^β + γ.
 * For each floor γ on a grid below the smallest observed error, α and β come from the log-log fit
 * of (error − γ); the γ whose curve has the least squared error in plain error units wins. r² is in
 * plain error units too. γ = 0 is on the grid, so this never fits worse than the plain power law.
 */
export interface FloorFit {
  exponent: number;
  coefficient: number;
  /** The irreducible error γ. */
  floor: number;
  r2: number;
  points: number;
}

export function fitPowerLawWithFloor(points: { m: number; error: number }[], steps = 200): FloorFit | undefined {
  const usable = points.filter((p) => p.m > 0 && p.error > 0);
  if (new Set(usable.map((p) => p.m)).size < 4) return undefined;
  const lowest = Math.min(...usable.map((p) => p.error));
  const mean = usable.reduce((s, p) => s + p.error, 0) / usable.length;
  const total = usable.reduce((s, p) => s + (p.error - mean) ** 2, 0);
  let best: FloorFit | undefined;
  let bestSse = Infinity;
  for (let i = 0; i < steps; i++) {
    const floor = (lowest * 0.98 * i) / steps;
    const line = linearRegression(usable.map((p) => [Math.log10(p.m), Math.log10(p.error - floor)] as [number, number]));
    const coefficient = 10 ** line.b;
    const sse = usable.reduce((s, p) => s + (p.error - (coefficient * p.m ** line.m + floor)) ** 2, 0);
    if (sse < bestSse) {
      bestSse = sse;
      best = { exponent: line.m, coefficient, floor, r2: total > 0 ? 1 - sse / total : 1, points: usable.length };
    }
  }
  return best;
}

/** A percentile interval for an exponent, from resampling whole seeds. */
export interface SeedInterval {
  low: number;
  high: number;
  /** Distinct resamples (multisets of seeds) the interval was computed from. */
  resamples: number;
}

/**
 * 95% percentile interval of a fitted exponent under a bootstrap over seeds. A seed's points share
 * its training subsets and initialisations, so they are not independent: the unit resampled is the
 * seed, with all its sizes (a cluster bootstrap). With few seeds every multiset of seeds is
 * enumerated with its multinomial probability, so the interval is exact and needs no random numbers
 * (3 seeds: 10 resamples, 5 seeds: 126); it is coarse with 3 seeds, and says so by `resamples`.
 * Resamples the fit declines (too few distinct sizes) are left out and the rest renormalised.
 */
export function exponentIntervalOverSeeds(
  points: { m: number; error: number; seed: number }[],
  fit: (points: { m: number; error: number }[]) => { exponent: number } | undefined,
  level = 0.95,
): SeedInterval | undefined {
  const seeds = [...new Set(points.map((p) => p.seed))].sort((a, b) => a - b);
  if (seeds.length < 2) return undefined;
  const bySeed = seeds.map((s) => points.filter((p) => p.seed === s));
  const outcomes: { exponent: number; weight: number }[] = [];
  const add = (counts: number[], weight: number) => {
    const result = fit(counts.flatMap((count, i) => Array.from({ length: count }, () => bySeed[i]!).flat()));
    if (result && Number.isFinite(result.exponent)) outcomes.push({ exponent: result.exponent, weight });
  };
  const n = seeds.length;
  if (n <= MAX_ENUMERATED_SEEDS) {
    const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
    // Every way of drawing n seeds with replacement, as counts per seed, with its probability.
    const visit = (counts: number[], left: number) => {
      if (counts.length === n - 1) {
        const all = [...counts, left];
        add(all, factorial(n) / all.reduce((p, c) => p * factorial(c), 1) / n ** n);
        return;
      }
      for (let c = 0; c <= left; c++) visit([...counts, c], left - c);
    };
    visit([], n);
  } else {
    // Too many multisets to list: a fixed-seed Monte Carlo bootstrap, reproducible run to run.
    const rng = createRng('seed-bootstrap');
    for (let r = 0; r < MONTE_CARLO_RESAMPLES; r++) {
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) counts[Math.floor(rng() * n)]!++;
      add(counts, 1);
    }
  }
  if (outcomes.length === 0) return undefined;
  const total = outcomes.reduce((s, o) => s + o.weight, 0);
  outcomes.sort((a, b) => a.exponent - b.exponent);
  const quantile = (q: number) => {
    let cumulative = 0;
    for (const o of outcomes) {
      cumulative += o.weight / total;
      if (cumulative >= q - 1e-12) return o.exponent;
    }
    return outcomes.at(-1)!.exponent;
  };
  const tail = (1 - level) / 2;
  return { low: quantile(tail), high: quantile(1 - tail), resamples: outcomes.length };
}

/** Up to this many seeds every resample is enumerated (6 seeds: 462 multisets). */
const MAX_ENUMERATED_SEEDS = 6;
const MONTE_CARLO_RESAMPLES = 500;
