/**
 * Tuning and the stopping rule's sensitivity check (tuning.ts, protocol.ts): both must leave the trial
 * they report exactly what a plain trial with the same setting gives, or a reader's browser run (which
 * trains only the chosen setting) could not match our rows, and the sensitivity rows would compare
 * two different runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';
import { trainTrial, type EvaluationSets, type TrialSpec } from '../../experiments/lib/protocol.ts';
import { halvingBudget, inputsOnce, protocolSplits, testHead, trialSubset } from '../../experiments/lib/trial.ts';
import { edgesOf, gridFor, settingsOf, tuneTrial, withSetting, type TuningPlan } from '../../experiments/lib/tuning.ts';
import { toFloatPixels } from '../../experiments/lib/split.ts';
import { modelInputs } from '../../experiments/lib/models.ts';
import { STOPPING } from '../../experiments/lib/zoo.ts';

const trial: TrialSpec = {
  model: 'tiny',
  spec: { kind: 'mlp', hidden: [16], activation: 'relu' },
  optimizer: { name: 'adam', learningRate: 1e-3 },
  m: 200,
  seed: 3,
  batchSize: 32,
  stopping: { ...STOPPING, roundSteps: 10, patience: 2, maxRounds: 12 },
  testSize: 500,
};
const plan: TuningPlan = { grid: { learningRates: [3e-4, 3e-3, 3e-2], l2: [1e-5, 1e-3] }, firstRungSteps: 20, eta: 3 };

let sets: EvaluationSets;
beforeAll(async () => {
  await selectBackend('wasm');
  const validation = { ...protocolSplits().validation };
  // A smaller validation set keeps the test quick; every run below uses the same one.
  const small = { images: validation.images.subarray(0, 1000 * 784), labels: validation.labels.subarray(0, 1000), count: 1000 };
  const test = testHead(trial.testSize);
  sets = { validation: small, validationInputs: toFloatPixels(small), test, testInputs: toFloatPixels(test) };
}, 120_000);

describe('successive halving', () => {
  it('lists the grid in a fixed order and flags a choice at its edges', () => {
    expect(settingsOf(plan.grid)).toHaveLength(6);
    expect(settingsOf({ learningRates: [1e-3], l2: [] })).toEqual([{ learningRate: 1e-3 }]);
    expect(edgesOf(plan.grid, { learningRate: 3e-3, l2: 1e-3 })).toEqual({ learningRate: false, l2: true });
    expect(edgesOf(plan.grid, { learningRate: 3e-2, l2: 1e-5 })).toEqual({ learningRate: true, l2: true });
    // No penalty is the bottom of its grid but no edge: nothing lies below it. Its top still is one.
    expect(edgesOf({ learningRates: [1e-3, 1e-2], l2: [0, 1e-4] }, { learningRate: 1e-3, l2: 0 })).toEqual({ learningRate: true, l2: false });
    expect(edgesOf({ learningRates: [1e-3, 1e-2], l2: [0, 1e-4] }, { learningRate: 1e-2, l2: 1e-4 })).toEqual({ learningRate: true, l2: true });
  });

  it('gives each model family its own grid where the plan has one, the default grid elsewhere', () => {
    const linear = { learningRates: [1e-2], l2: [0, 1e-2] };
    const families: TuningPlan = { ...plan, byFamily: { linear } };
    expect(gridFor(families, { kind: 'logistic' })).toBe(linear);
    expect(gridFor(families, { kind: 'linear-svm', l2: 1e-4 })).toBe(linear);
    expect(gridFor(families, { kind: 'rff-svm', l2: 1e-5, features: 10, gamma: 0.02, projectionSeed: 1 })).toBe(linear);
    expect(gridFor(families, trial.spec)).toBe(plan.grid);
    expect(gridFor(plan, { kind: 'logistic' })).toBe(plan.grid);
  });

  it('makes a split\'s input rows once for every setting of a model, so that paused candidates share them', async () => {
    const data = trialSubset(trial.m, trial.seed);
    const rff = { kind: 'rff-svm', l2: 1e-4, features: 64, gamma: 0.02, projectionSeed: 1 } as const;
    expect(await modelInputs({ ...rff, l2: 0 }, data)).toBe(await modelInputs(rff, data));
    expect(await modelInputs({ kind: 'mlp', hidden: [8], activation: 'relu', l2: 1e-4 }, data)).toBe(await modelInputs(trial.spec, data));
    // Other features, or another split, are other rows.
    expect(await modelInputs({ ...rff, gamma: 0.04 }, data)).not.toBe(await modelInputs(rff, data));
    expect(await modelInputs(trial.spec, trialSubset(trial.m, trial.seed + 1))).not.toBe(await modelInputs(trial.spec, data));
  });

  it('counts the training successive halving costs, in first rungs, as the schedule runs it', () => {
    // 9 → 3 (each on to 3 rungs) → 1: 9 + 3·2; 8 → 3 → 1: 8 + 3·2; 16 → 6 → 2 → 1: 16 + 6·2 + 2·6.
    expect(halvingBudget(9, 3)).toBe(15);
    expect(halvingBudget(8, 3)).toBe(14);
    expect(halvingBudget(16, 3)).toBe(40);
    expect(halvingBudget(6, 3)).toBe(6 + 2 * 2);
    expect(halvingBudget(1, 3)).toBe(1);
  });

  it('keeps a third at each rung and chooses the best of the last; a trial of that setting scores at least what the rung saw', async () => {
    const data = trialSubset(trial.m, trial.seed);
    const tuned = await tuneTrial(trial, data, sets, plan);
    // 6 settings → 2 → 1: two rungs recorded, six and two settings.
    expect(tuned.rungs.filter((r) => r.rung === 0)).toHaveLength(6);
    expect(tuned.rungs.filter((r) => r.rung === 1)).toHaveLength(2);
    expect(tuned.rungs.filter((r) => r.rung === 0 && r.advanced)).toHaveLength(2);
    // The settings that went on were the best of their rung.
    const first = tuned.rungs.filter((r) => r.rung === 0);
    const cut = Math.min(...first.filter((r) => r.advanced).map((r) => r.valAccuracy));
    expect(first.filter((r) => !r.advanced).every((r) => r.valAccuracy <= cut)).toBe(true);
    const chosen = tuned.rungs.find((r) => r.rung === 1 && r.advanced)!;
    expect(chosen.setting).toEqual(tuned.setting);
    // Tuning resumed its candidates rather than restarting them: the same setting trained as a plain
    // trial, from the start, passes through the same rounds and keeps at least the best the rung saw.
    const plain = await trainTrial(withSetting(trial, tuned.setting), data, sets);
    expect(plain.valAccuracy!).toBeGreaterThanOrEqual(chosen.valAccuracy);
  }, 300_000);
});

describe('stopping sensitivity', () => {
  it('a longer patience leaves the rule’s own outcome as a plain run gives it, and keeps at least as good a validation score', async () => {
    const data = trialSubset(trial.m, trial.seed);
    const plain = await trainTrial(trial, data, sets);
    const extended = await trainTrial(trial, data, sets, { extendedPatience: 2 * trial.stopping.patience });
    const { trainSeconds: _a, extended: check, ...rule } = extended;
    const { trainSeconds: _b, ...own } = plain;
    expect(rule).toEqual(own);
    expect(check).toBeDefined();
    expect(check!.patience).toBe(4);
    expect(check!.valAccuracy).toBeGreaterThanOrEqual(plain.valAccuracy!);
    expect(check!.keptEpoch).toBeGreaterThanOrEqual(plain.keptEpoch);
    expect(check!.epochsRun).toBeGreaterThanOrEqual(plain.epochsRun);
  }, 300_000);
});

describe('evaluation inputs', () => {
  it('are made once per kind of input, whatever the rate or penalty a setting carries', () => {
    const weak = inputsOnce({ kind: 'logistic', l2: 0 }, 'test', testHead(100));
    expect(inputsOnce({ kind: 'logistic', l2: 0.01 }, 'test', testHead(100))).toBe(weak);
    expect(inputsOnce({ kind: 'mlp', hidden: [32], activation: 'relu', l2: 0.0001 }, 'test', testHead(100))).toBe(weak);
    expect(inputsOnce({ kind: 'features-logistic' }, 'test', testHead(100))).not.toBe(weak);
  });
});
