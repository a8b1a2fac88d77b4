/** When "Run it yourself" calls a throughput steady, and how it words a ratio (src/run/steady.ts). */
import { describe, expect, it } from 'vitest';
import { formatRatio, shouldContinue, significant, steadyState, STEADY_RULE, type SteadyRule } from '../../src/run/steady.ts';
import { projectFromThroughput } from '../../experiments/summaries/compute.ts';

const rule: SteadyRule = { ...STEADY_RULE, maxSteps: 100, maxSeconds: 1000 };

describe('steady state', () => {
  it('keeps going while early steps are still speeding up, and stops once three blocks of five agree', () => {
    const warming = [40, 30, 25, 20, 18, 15, 12, 11, 10, 10];
    expect(shouldContinue(warming, rule)).toBe(true);
    const settled = [...warming, ...new Array(15).fill(10)];
    expect(shouldContinue(settled, rule)).toBe(false);
    const state = steadyState(settled, 64, rule);
    expect(state.settled).toBe(true);
    expect(state.windowSteps).toBe(15);
    expect(state.samplesPerSecond).toBeCloseTo(6400, 6);
    expect(state.spread).toBe(0);
  });

  it('stops at the step cap or the time cap, saying it did not settle', () => {
    const noisy = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 10 : 20));
    expect(shouldContinue(noisy, rule)).toBe(false);
    const state = steadyState(noisy, 64, rule);
    expect(state.settled).toBe(false);
    expect(state.spread).toBeGreaterThan(0.05);
    expect(shouldContinue([600, 500], { ...rule, maxSeconds: 1 })).toBe(false);
  });

  it('a measurement shorter than three blocks is every step after the first, rough', () => {
    const state = steadyState([10, 10, 10, 20], 64, rule);
    expect(state).toMatchObject({ steps: 4, windowSteps: 4, spread: null, settled: false });
    expect(state.samplesPerSecond).toBeCloseTo((4 * 64 * 1000) / 50, 6);
  });
});

describe('ratios and projections', () => {
  it('two significant figures when both rates settled, one with "about" when not', () => {
    expect(formatRatio(7.3456, true)).toBe('7.3×');
    expect(formatRatio(7.3456, false)).toBe('about 7×');
    expect(formatRatio(123.4, true)).toBe('120×');
    expect(formatRatio(0.05264, true)).toBe('0.053×');
    expect(formatRatio(6.04, true)).toBe('6.0×');
    expect(significant(5215.3)).toBe('5,200');
  });

  it('time to target and runs a day from the samples a run needed', () => {
    expect(projectFromThroughput(110000, 2750)).toEqual({ secondsToTarget: 40, experimentsPerDay: 2160 });
  });
});
