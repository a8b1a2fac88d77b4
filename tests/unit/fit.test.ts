import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from '../../experiments/summaries/fit.ts';

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
