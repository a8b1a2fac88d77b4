/** Power-law fits of error against training-set size: log10(error) = intercept + exponent · log10(m). */
import { linearRegression, rSquared, linearRegressionLine } from 'simple-statistics';

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
