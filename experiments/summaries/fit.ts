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
