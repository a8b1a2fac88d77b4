/** Reading learning curves: means per cell, where a curve flattens, which model leads. */
import { fitPowerLaw, fitPowerLawWithFloor, type FloorFit, type PowerLawFit } from './fit.ts';
import type { Row } from '../lib/schema.ts';
import { meanOf } from '../lib/trial.ts';

/** Mean test accuracy of `model` at training-set size `m` over seeds (diverged runs excluded). */
export function meanAccuracy(rows: Row[], model: string, m: number): number {
  return meanOf(rows, 'testAccuracy', (r) => r.model === model && r.m === m);
}

/** Accuracy points gained per doubling of the data below which we call a curve flat. */
export const FLAT_GAIN_PER_DOUBLING = 0.005;

/**
 * The smallest size from which every further step gains less than FLAT_GAIN_PER_DOUBLING per
 * doubling of the data; undefined when the curve is still climbing at the largest size.
 */
export function flattensAt(rows: Row[], model: string, sizes: number[]): number | undefined {
  const sorted = [...sizes].sort((a, b) => a - b);
  const acc = sorted.map((m) => meanAccuracy(rows, model, m));
  let flatFrom: number | undefined;
  for (let i = sorted.length - 2; i >= 0; i--) {
    const perDoubling = (acc[i + 1]! - acc[i]!) / Math.log2(sorted[i + 1]! / sorted[i]!);
    if (perDoubling < FLAT_GAIN_PER_DOUBLING) flatFrom = sorted[i];
    else break;
  }
  return flatFrom;
}

/** Each seed's (m, test error) point of one model, from size `from` up. */
export function errorPoints(rows: Row[], model: string, from = 0): { m: number; error: number; seed: number }[] {
  return rows
    .filter((r) => r.model === model && typeof r.testError === 'number' && (r.m as number) >= from)
    .map((r) => ({ m: r.m as number, error: r.testError as number, seed: r.seed as number }));
}

/** Power law of test error against m, fitted on every seed's point in the power-law region (m ≥ POWER_LAW_FROM). */
export function errorPowerLaw(rows: Row[], model: string, from = POWER_LAW_FROM): PowerLawFit | undefined {
  return fitPowerLaw(errorPoints(rows, model, from));
}

/** Sizes below this are the "small-data region" of a learning curve (Hestness et al.), left out of the power-law fit. */
export const POWER_LAW_FROM = 500;

/** The three-parameter fit (power law plus an irreducible error) on every seed's point. */
export function errorPowerLawWithFloor(rows: Row[], model: string): FloorFit | undefined {
  return fitPowerLawWithFloor(errorPoints(rows, model));
}

/** Mean of any numeric field of `model`'s rows at size `m`. */
export function meanField(rows: Row[], model: string, m: number, field: string): number {
  return meanOf(rows, field, (r) => r.model === model && r.m === m);
}

