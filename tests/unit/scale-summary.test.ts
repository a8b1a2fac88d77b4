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
      expect(summary[`accuracy.${name}.largest.low`]).toBe(Math.min(...own));
      expect(summary[`accuracy.${name}.largest.high`]).toBe(Math.max(...own));
    }
  });

  it('pairs each seed with itself for the share of errors the last step in data removed', () => {
    const from = summary['m.lastStepFrom']!;
    expect(from).toBe([...config.sizes].sort((a, b) => a - b).at(-2));
    const cuts = at(trials, 'logistic', largest).map((r) => {
      const before = at(trials, 'logistic', from).find((b) => b.seed === r.seed)!;
      return 1 - (r.testError as number) / (before.testError as number);
    });
    expect(summary['errorCutLastStep.logistic.low']).toBeCloseTo(Math.min(...cuts), 12);
    expect(summary['errorCutLastStep.logistic.high']).toBeCloseTo(Math.max(...cuts), 12);
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
