import { describe, expect, it } from 'vitest';
import { exponentIntervalOverSeeds, fitPowerLaw } from '../../experiments/summaries/fit.ts';

describe('power-law fit', () => {
  it('recovers the exponent and coefficient of an exact power law', () => {
    const points = [100, 1000, 10_000, 60_000].map((m) => ({ m, error: 2 * m ** -0.35 }));
    const fit = fitPowerLaw(points)!;
    expect(fit.exponent).toBeCloseTo(-0.35, 10);
    expect(fit.coefficient).toBeCloseTo(2, 8);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(fit.exponentStderr).toBeCloseTo(0, 8);
  });

  it('gives a standard error that grows with noise', () => {
    const noisy = [100, 300, 1000, 3000, 10_000].flatMap((m, i) => [
      { m, error: m ** -0.3 * (1 + 0.2 * ((i % 2) - 0.5)) },
      { m, error: m ** -0.3 * (1 - 0.2 * ((i % 2) - 0.5)) },
    ]);
    const fit = fitPowerLaw(noisy)!;
    expect(fit.exponent).toBeLessThan(-0.2);
    expect(fit.exponentStderr).toBeGreaterThan(0);
  });

  it('declines with fewer than three sizes, and skips zero errors', () => {
    expect(fitPowerLaw([{ m: 10, error: 0.5 }, { m: 100, error: 0.2 }])).toBeUndefined();
    expect(fitPowerLaw([{ m: 10, error: 0.5 }, { m: 100, error: 0.2 }, { m: 1000, error: 0 }])).toBeUndefined();
  });
});

describe('exponent interval over seeds', () => {
  const law = (exponent: number, scale: number, seed: number) => [300, 1000, 3000, 10_000].map((m) => ({ m, error: scale * m ** exponent, seed }));

  it('collapses to the exponent when every seed lies on the same power law', () => {
    const points = [1, 2, 3].flatMap((seed) => law(-0.4, 1 + seed / 10, seed));
    const interval = exponentIntervalOverSeeds(points, fitPowerLaw)!;
    expect(interval.low).toBeCloseTo(-0.4, 10);
    expect(interval.high).toBeCloseTo(-0.4, 10);
    // 3 seeds drawn with replacement: 10 distinct multisets.
    expect(interval.resamples).toBe(10);
  });

  it('spans the seeds’ own exponents when they differ, and is wider than the pooled standard error suggests', () => {
    const points = [law(-0.3, 1, 1), law(-0.4, 1, 2), law(-0.5, 1, 3)].flat();
    const interval = exponentIntervalOverSeeds(points, fitPowerLaw)!;
    // The extreme resamples are one seed drawn three times: its own exponent.
    expect(interval.low).toBeCloseTo(-0.5, 6);
    expect(interval.high).toBeCloseTo(-0.3, 6);
  });

  it('needs two seeds, and with many seeds resamples reproducibly', () => {
    expect(exponentIntervalOverSeeds(law(-0.4, 1, 1), fitPowerLaw)).toBeUndefined();
    const many = Array.from({ length: 8 }, (_, i) => law(-0.4 - i / 100, 1, i + 1)).flat();
    const a = exponentIntervalOverSeeds(many, fitPowerLaw)!;
    expect(a).toEqual(exponentIntervalOverSeeds(many, fitPowerLaw));
    expect(a.resamples).toBe(500);
    expect(a.low).toBeGreaterThanOrEqual(-0.47 - 1e-9);
    expect(a.high).toBeLessThanOrEqual(-0.4 + 1e-9);
  });
});
