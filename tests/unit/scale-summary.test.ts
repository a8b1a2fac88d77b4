/** The scale summary's seed ranges, last-step error cuts and exact-kernel comparison, checked against the rows by hand. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScaleConfig } from '../../experiments/configs.ts';
import type { Row } from '../../experiments/lib/schema.ts';
import { parseResultText } from '../../experiments/lib/schema.ts';
import { summarizeScale } from '../../experiments/summaries/scale.ts';

const file = 'generated/scale.json';
const result = parseResultText(readFileSync(file, 'utf8'), file);
const config = result.config as unknown as ScaleConfig;
const trials = result.rows.filter((r) => r.kind === undefined);
const at = (rows: Row[], model: string, m: number) => rows.filter((r) => r.model === model && r.m === m && typeof r.testAccuracy === 'number');
const accuracies = (rows: Row[], model: string, m: number) => at(rows, model, m).map((r) => r.testAccuracy as number);
const networks = config.models.filter((m) => m.spec.kind === 'mlp').map((m) => m.name);

describe('the scale summary', () => {
  const { summary } = summarizeScale(config, result.rows);
  const largest = summary['m.largest']!;

  it('gives each model the lowest and highest seed beside its mean at its largest size', () => {
    for (const { name } of config.models) {
      const own = accuracies(trials, name, summary[`m.${name}.largest`]!);
      expect(summary[`accuracyLow.${name}.largest`]).toBe(Math.min(...own));
      expect(summary[`accuracyHigh.${name}.largest`]).toBe(Math.max(...own));
    }
  });

  it('pairs each seed with itself for the share of errors the last step in data removed', () => {
    const from = summary['m.lastStepFrom']!;
    expect(from).toBe([...config.sizes].sort((a, b) => a - b).at(-2));
    const cuts = at(trials, 'logistic', largest).map((r) => {
      const before = at(trials, 'logistic', from).find((b) => b.seed === r.seed)!;
      return 1 - (r.testError as number) / (before.testError as number);
    });
    expect(summary['errorCutLastStepLow.logistic']).toBeCloseTo(Math.min(...cuts), 12);
    expect(summary['errorCutLastStepHigh.logistic']).toBeCloseTo(Math.max(...cuts), 12);
  });

  it('calls the exact kernel SVM ahead of the fully connected networks only when its lowest seed beats every seed of every one', () => {
    const m = summary['exactKernel.m']!;
    const kernel = accuracies(trials, 'svm-rbf', m);
    const every = networks.flatMap((name) => accuracies(trials, name, m));
    expect(summary['exactKernel.separated']).toBe(Math.min(...kernel) > Math.max(...every) ? 1 : 0);
    expect(summary['exactKernel.bestNetwork.accuracy']).toBeLessThanOrEqual(Math.max(...every));

    // Pull one seed of the kernel SVM below the best network seed: no longer separated.
    const lowered = result.rows.map((r) =>
      r.kind === undefined && r.model === 'svm-rbf' && r.m === m && r.seed === config.seeds[0] ? { ...r, testAccuracy: Math.max(...every) - 0.01, testError: 1 - Math.max(...every) + 0.01 } : r,
    );
    expect(summarizeScale(config, lowered).summary['exactKernel.separated']).toBe(0);
  });
});

/**
 * The digitisation lesson states these of the committed data in words, beside the numbers it quotes: when
 * a rerun makes one false, this fails and the sentence must change with the data.
 */
describe('what the digitisation lesson says of generated/scale.json', () => {
  const s = result.summary;
  const range = (model: string, m: number) => {
    const own = accuracies(trials, model, m);
    return { low: Math.min(...own), high: Math.max(...own) };
  };

  it('the last step in data removed a larger share of the large network’s errors than of logistic regression’s on every seed', () => {
    expect(s['errorCutLastStepLow.nn-large']!).toBeGreaterThan(s['errorCutLastStepHigh.logistic']!);
  });

  it('the exact kernel SVM is above every seed of every fully connected network where it last ran, and below the CNN', () => {
    const m = s['exactKernel.m']!;
    expect(s['exactKernel.separated']).toBe(1);
    expect(range('cnn', m).low).toBeGreaterThan(range('svm-rbf', m).high);
  });

  it('random features overlap the large network, stay below the medium one and are still rising; the CNN is clearly ahead', () => {
    const m = s['m.largest']!;
    const [rff, large, medium, cnn] = ['svm-rff', 'nn-large', 'nn-medium', 'cnn'].map((model) => range(model, m)) as [ReturnType<typeof range>, ReturnType<typeof range>, ReturnType<typeof range>, ReturnType<typeof range>];
    expect(rff.high).toBeGreaterThanOrEqual(large.low);
    expect(large.high).toBeGreaterThanOrEqual(rff.low);
    expect(rff.high).toBeLessThan(medium.low);
    expect(s['flattensAt.svm-rff']).toBeUndefined();
    for (const other of config.models.filter((x) => x.name !== 'cnn' && accuracies(trials, x.name, m).length)) expect(cnn.low).toBeGreaterThan(range(other.name, m).high);
  });

  it('logistic regression levels off, and its two fit forms give exponents whose intervals do not overlap', () => {
    expect(s['flattensAt.logistic']).toBeDefined();
    expect(s['fitFloor.logistic.exponentHigh']!).toBeLessThan(s['fit.logistic.exponentLow']!);
  });
});
