/**
 * The verdicts on the lecture's claims (experiments/summaries/verdicts.ts): every committed result file
 * gets one, and each rule turns on the summary values it says decide it. The tampered states are built
 * whole (every deciding key set), so that they hold whatever run the committed file comes from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText, type ResultFile } from '../../experiments/lib/schema.ts';
import { DECLARED_EXPERIMENTS } from '../../experiments/summaries/optional.ts';
import { VERDICT_EXPERIMENTS, VERDICTS, verdictOf } from '../../experiments/summaries/verdicts.ts';

const ids = readdirSync('generated')
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length))
  .sort();

function committed(id: string): ResultFile {
  return parseResultText(readFileSync(`generated/${id}.json`, 'utf8'), `generated/${id}.json`);
}

/** A copy of the committed file with summary keys set (a number) or removed (undefined). */
function tampered(id: string, changes: Record<string, number | undefined>, base: ResultFile = committed(id)): ResultFile {
  const copy = structuredClone(base);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy.summary[key];
    else copy.summary[key] = value;
  }
  return copy;
}

describe('verdicts on the committed results', () => {
  it('has a rule for every experiment, and a committed file for every rule', () => {
    expect([...VERDICT_EXPERIMENTS].sort()).toEqual([...DECLARED_EXPERIMENTS].sort());
    expect(ids).toEqual([...VERDICT_EXPERIMENTS].sort());
  });

  it.each(ids)('%s gets a verdict and a sentence built from its numbers', (id) => {
    const { verdict, because } = verdictOf(committed(id));
    expect(VERDICTS).toContain(verdict);
    expect(verdict === 'curated').toBe(id === 'history');
    expect(because).toMatch(/^[A-Z].{20,}[.]$/);
    expect(because).not.toMatch(/NaN|undefined|Infinity|null|\[object/);
  });

  it('refuses an experiment it has no rule for, naming it', () => {
    expect(() => verdictOf({ ...committed('scale'), id: 'no-such-experiment' })).toThrow(/"no-such-experiment"/);
  });

  it('names a deciding key a file lacks', () => {
    expect(() => verdictOf(tampered('model-size', { 'widthGain.largestM': undefined }))).toThrow(/widthGain\.largestM/);
  });
});

describe('scale: linear models level off while the networks rise', () => {
  const file = committed('scale');
  const reference = file.summary['m.reference']!;
  const networks = ['nn-small', 'nn-medium', 'nn-large', 'cnn'];
  const flat = (names: string[], at: number | undefined) => Object.fromEntries(names.map((n) => [`flattensAt.${n}`, at]));
  // The lecture's picture exactly: both linear models and the kernel SVM flat, every network rising.
  const picture = tampered('scale', { ...flat(['logistic', 'svm-linear', 'svm-rff'], reference), ...flat(networks, undefined) });

  it('held when every traditional model levels off and every network rises', () => {
    expect(verdictOf(picture)).toMatchObject({ verdict: 'held' });
  });

  it('partly when the kernel SVM still rises, or a network is flat', () => {
    const kernel = verdictOf(tampered('scale', flat(['svm-rff'], undefined), picture));
    expect(kernel.verdict).toBe('partly');
    expect(kernel.because).toMatch(/kernel SVM/);
    const cnn = verdictOf(tampered('scale', flat(['cnn'], reference), picture));
    expect(cnn.verdict).toBe('partly');
    expect(cnn.because).toMatch(/convolutional network is flat/);
  });

  it('did not hold when no linear model levels off, or every network does', () => {
    expect(verdictOf(tampered('scale', flat(['logistic', 'svm-linear'], undefined), picture)).verdict).toBe('did not hold');
    expect(verdictOf(tampered('scale', flat(networks, reference), picture)).verdict).toBe('did not hold');
  });
});

describe('small-data: rankings flip from draw to draw', () => {
  const m = committed('small-data').summary['m.smallest']!;
  const state = (reversals: number, leaderFlips: number) => tampered('small-data', { [`pairReversalRate.${m}`]: reversals, [`leaderFlipRate.${m}`]: leaderFlips });

  it('turns on the pairs reversed and the leader changed at the smallest size', () => {
    expect(verdictOf(state(0.3, 0.5)).verdict).toBe('held');
    expect(verdictOf(state(0.3, 0)).verdict).toBe('partly');
    expect(verdictOf(state(0.05, 0)).verdict).toBe('did not hold');
    expect(verdictOf(state(0.3, 0)).because).toMatch(/30%/);
  });
});

describe('model-size: width pays with enough data, little without', () => {
  const state = (small: number, large: number) => tampered('model-size', { 'widthGain.smallestM': small, 'widthGain.largestM': large });

  it('turns on what width adds with the least and the most data', () => {
    expect(verdictOf(state(0.01, 0.06)).verdict).toBe('held');
    expect(verdictOf(state(0.06, 0.06)).verdict).toBe('partly');
    expect(verdictOf(state(0.06, 0.001)).verdict).toBe('did not hold');
    expect(verdictOf(state(0.01, 0.06)).because).toMatch(/6\.0 points.*1\.0 points/);
  });
});

describe('activations: the ReLU against the sigmoid, and tanh', () => {
  const file = committed('activations');
  const depths = (file.config as { depths: number[] }).depths;
  const [shallow, deep] = [Math.min(...depths), Math.max(...depths)];
  const reached = (name: string, depth: number, epochs: number | undefined) => ({ [`reachedTarget.best.${name}.${depth}`]: epochs === undefined ? 0 : 1, [`epochsToTarget.best.${name}.${depth}`]: epochs });
  const beyond = (a: string, b: string, depth: number, yes: boolean) => ({ [`speedupBeyondNoise.best.${a}-vs-${b}.${depth}`]: yes ? 1 : 0 });
  // At the deepest depth ReLU (He) reaches the target and the sigmoid does not; tanh keeps pace everywhere.
  const partly = tampered('activations', {
    ...reached('relu-he', deep, 5),
    ...reached('sigmoid', deep, undefined),
    ...beyond('relu-he', 'sigmoid', deep, true),
    ...beyond('relu', 'sigmoid', deep, false),
    ...Object.assign({}, ...depths.flatMap((d) => [beyond('relu', 'tanh', d, false), beyond('relu-he', 'tanh', d, false)])),
  });

  it('partly when ReLU beats the deep sigmoid but tanh keeps pace', () => {
    expect(verdictOf(partly)).toMatchObject({ verdict: 'partly' });
  });

  it('held when a ReLU is also faster than tanh beyond noise', () => {
    const held = tampered('activations', { ...reached('relu', shallow, 2), ...reached('tanh', shallow, 4), ...beyond('relu', 'tanh', shallow, true) }, partly);
    expect(verdictOf(held).verdict).toBe('held');
    // The same separation the other way round (tanh the faster) is not a ReLU win.
    const reversed = tampered('activations', { ...reached('relu', shallow, 4), ...reached('tanh', shallow, 2), ...beyond('relu', 'tanh', shallow, true) }, partly);
    expect(verdictOf(reversed).verdict).toBe('partly');
  });

  it('did not hold when no ReLU beats the deep sigmoid beyond noise', () => {
    expect(verdictOf(tampered('activations', beyond('relu-he', 'sigmoid', deep, false), partly)).verdict).toBe('did not hold');
    // Nor when the sigmoid got there first.
    expect(verdictOf(tampered('activations', reached('sigmoid', deep, 2), partly)).verdict).toBe('did not hold');
  });
});

describe('saturation: the deep sigmoid network is slow, not untrainable', () => {
  const file = committed('saturation');
  const seeds = file.summary['seeds']!;
  const [sigmoid, tanh] = [`sigmoid.${file.summary['bestRate.sigmoid']}`, `tanh.${file.summary['bestRate.tanh']}`];
  const state = (escaped: number, first: number) => tampered('saturation', { [`escapedSeeds.${sigmoid}`]: escaped, [`escapeEpochMin.${sigmoid}`]: first, [`escapeEpochMax.${sigmoid}`]: first + 5, [`escapeEpochMax.${tanh}`]: 2 });

  it('turns on how many seeds escape chance, and when against tanh', () => {
    expect(verdictOf(state(seeds, 30)).verdict).toBe('held');
    expect(verdictOf(state(seeds - 1, 30)).verdict).toBe('partly');
    expect(verdictOf(state(seeds, 1)).verdict).toBe('partly');
    expect(verdictOf(state(0, 30)).verdict).toBe('did not hold');
    expect(verdictOf(state(seeds, 30)).because).toMatch(/between epochs 30 and 35/);
  });
});

describe('optimizers: fewer epochs and less time than SGD', () => {
  const file = committed('optimizers');
  const newer = (file.config as { optimizers: { name: string }[] }).optimizers.map((o) => o.name).filter((n) => n !== 'sgd');
  const every = (make: (name: string) => Record<string, number | undefined>) => Object.assign({}, ...newer.map(make));
  const sgdSeconds = 10;
  const held = tampered('optimizers', {
    'secondsToTarget.sgd': sgdSeconds,
    ...every((n) => ({ [`speedupOverSgd.${n}`]: 2, [`speedupOverSgdAtLeast.${n}`]: undefined, [`speedupBeyondNoise.${n}`]: 1, [`secondsToTarget.${n}`]: sgdSeconds / 2 })),
  });

  it('held when every newer optimiser is faster beyond noise and in seconds', () => {
    expect(verdictOf(held).verdict).toBe('held');
  });

  it('partly when a speed-up is within noise or costs seconds', () => {
    const noise = verdictOf(tampered('optimizers', { [`speedupBeyondNoise.${newer[0]}`]: 0 }, held));
    expect(noise.verdict).toBe('partly');
    expect(noise.because).toMatch(/beyond seed noise/);
    const slower = verdictOf(tampered('optimizers', { [`secondsToTarget.${newer[0]}`]: sgdSeconds * 2 }, held));
    expect(slower.verdict).toBe('partly');
    expect(slower.because).toMatch(/more seconds/);
  });

  it('did not hold when none is faster in epochs on average', () => {
    expect(verdictOf(tampered('optimizers', every((n) => ({ [`speedupOverSgd.${n}`]: 0.9 })), held)).verdict).toBe('did not hold');
  });
});

describe('compute: many more runs a day on a faster backend', () => {
  const file = committed('compute');
  const runsKeys = Object.keys(file.summary).filter((key) => /^(projected)?[eE]xperimentsPerDay\./.test(key));
  /** Every model's runs a day: the first backend's `fastest` times the rest's 100. */
  const state = (fastest: number) => {
    const seen = new Set<string>();
    return tampered(
      'compute',
      Object.fromEntries(
        runsKeys.map((key) => {
          const model = key.split('.').at(-1)!;
          const first = !seen.has(model);
          seen.add(model);
          return [key, first ? 100 * fastest : 100];
        }),
      ),
    );
  };

  it('turns on the fastest backend’s runs a day against the slowest’s', () => {
    expect(runsKeys.length).toBeGreaterThan(1);
    expect(verdictOf(state(20)).verdict).toBe('held');
    expect(verdictOf(state(3)).verdict).toBe('partly');
    expect(verdictOf(state(1.5)).verdict).toBe('did not hold');
  });
});

describe('history: curated facts, not a test', () => {
  it('is curated whatever its numbers, and quotes them', () => {
    const file = tampered('history', { 'datasets.imagenetOverMnist': 99 });
    expect(verdictOf(file)).toMatchObject({ verdict: 'curated' });
    expect(verdictOf(file).because).toMatch(/99×/);
  });
});
