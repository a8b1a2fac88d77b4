/**
 * When a throughput measurement is done, and what it says: pure arithmetic on per-step times, shared by
 * the training worker and the page (unit-tested in tests/unit/run-steady.test.ts).
 *
 * The first step is timed apart: on a GPU backend it compiles every shader the model needs (and on
 * any backend it allocates the optimiser's state), so it can take a hundred steps' time and says
 * nothing about speed. After it, steps are grouped in blocks of `block`; the measurement stops once
 * the last `blocks` blocks' rates agree within `tolerance` (their spread, max − min, relative to their
 * mean), and at the latest after `maxSteps` steps or `maxSeconds` seconds. The steady rate is that of
 * the last `blocks` blocks: the window that settled, not the early steps that were still warming.
 * Three blocks of five steps agreeing within 5% is the least that lets a figure be quoted to two
 * significant figures; one block alone would be a single noisy reading.
 */

export interface SteadyRule {
  /** Steps per block. */
  block: number;
  /** Blocks that must agree. */
  blocks: number;
  /** Largest spread of their rates, relative to their mean (0.05: 5%). */
  tolerance: number;
  /** At most this many timed steps after the first… */
  maxSteps: number;
  /** …and no more steps once this many seconds of steady steps have passed. */
  maxSeconds: number;
}

export const STEADY_RULE: SteadyRule = { block: 5, blocks: 3, tolerance: 0.05, maxSteps: 200, maxSeconds: 30 };

export interface SteadyState {
  /** Samples per second over the window that settled (or every step after the first, if too few). */
  samplesPerSecond: number;
  /** Timed steps after the first. */
  steps: number;
  /** Steps the steady rate is taken over. */
  windowSteps: number;
  /** Spread of the last blocks' rates (max − min over their mean); null with fewer than `blocks` blocks. */
  spread: number | null;
  /** The last blocks agreed within the tolerance. */
  settled: boolean;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Rates (steps per second) of consecutive whole blocks of step times (milliseconds), the last block last. */
function blockRates(stepMs: number[], block: number): number[] {
  const rates: number[] = [];
  for (let end = stepMs.length - (stepMs.length % block); end >= block; end -= block) {
    rates.unshift((block * 1000) / sum(stepMs.slice(end - block, end)));
  }
  return rates;
}

/** The steady state of the step times so far (milliseconds per step, the first step excluded). */
export function steadyState(stepMs: number[], batchSize: number, rule: SteadyRule = STEADY_RULE): SteadyState {
  const whole = stepMs.length - (stepMs.length % rule.block);
  const rates = blockRates(stepMs, rule.block);
  if (rates.length < rule.blocks || whole === 0) {
    const ms = sum(stepMs);
    return { samplesPerSecond: ms > 0 ? (stepMs.length * batchSize * 1000) / ms : Number.NaN, steps: stepMs.length, windowSteps: stepMs.length, spread: null, settled: false };
  }
  const last = rates.slice(-rule.blocks);
  const mean = sum(last) / last.length;
  const spread = (Math.max(...last) - Math.min(...last)) / mean;
  const window = stepMs.slice(whole - rule.blocks * rule.block, whole);
  return {
    samplesPerSecond: (window.length * batchSize * 1000) / sum(window),
    steps: stepMs.length,
    windowSteps: window.length,
    spread,
    settled: spread < rule.tolerance,
  };
}

/** Whether to time another step: not once the last blocks agree, nor past the step or time cap. */
export function shouldContinue(stepMs: number[], rule: SteadyRule = STEADY_RULE): boolean {
  if (stepMs.length >= rule.maxSteps || sum(stepMs) / 1000 >= rule.maxSeconds) return false;
  if (stepMs.length % rule.block !== 0) return true;
  return !steadyState(stepMs, 1, rule).settled;
}

/** A number to `digits` significant figures, trailing zeros kept ("6.0", "0.053", "5,200"). */
export function significant(x: number, digits = 2): string {
  return x.toLocaleString('en-US', { minimumSignificantDigits: digits, maximumSignificantDigits: digits });
}

/**
 * A ratio in words, to what the measurement supports: two significant figures when both rates settled,
 * one (with "about") when either did not.
 */
export function formatRatio(ratio: number, settled: boolean): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return String(ratio);
  return `${settled ? '' : 'about '}${significant(ratio, settled ? 2 : 1)}×`;
}
