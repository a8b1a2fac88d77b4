/**
 * A trial as a practitioner with m labelled images runs it: every choice is made from those m images
 * alone, never from the protocol's 5,000 validation images (a person with 50 labels has 50 labels).
 *
 * - a seeded fifth of the m images is held out (at least one image);
 * - each setting of the grid (the L2 penalty; for the exact kernel SVM its γ) trains on the other
 *   four fifths by the protocol's stopping rule, judged on the held-out part;
 * - the setting with the best held-out accuracy (loss breaks ties, then grid order) is trained again
 *   on all m images for as many epochs as its held-out run kept, and scored once on the test set.
 *
 * A single held-out part, not k-fold cross-validation: k-fold costs k times as many runs, and at these
 * sizes the held-out part's noise (ten images at m = 50) is the point being measured, not hidden.
 */
import { exactRbfSvm, svmTrialOutcome } from './kernel-svm.ts';
import { buildModel, describeModel, lossOf, modelInputs } from './models.ts';
import { trainToConvergence, type TrialOutcome, type TrialSpec } from './protocol.ts';
import { createRng, deriveSeed, permutation } from './random.ts';
import { pick, type Split } from './split.ts';
import { score, train } from './train.ts';
import { settingsOf, withSetting, type Setting, type TuningGrid } from './tuning.ts';

export interface PractitionerPlan {
  /** What is chosen on the held-out part; for the exact kernel SVM, `gammas` of its spec instead. */
  grid: TuningGrid;
  /** The share of the m images held out to decide. */
  heldOutShare: number;
}

export interface PractitionerOutcome {
  outcome: TrialOutcome;
  setting: Setting | { gamma: number; C?: number };
  /** Images held out to decide (the rest of the m trained the candidates). */
  heldOut: number;
  /** Each candidate's held-out accuracy. */
  candidates: { setting: Setting | { gamma: number; C?: number }; heldOutAccuracy: number }[];
}

/** The trial's m images split into the part that trains candidates and the part that judges them. */
export function holdOut(trainSet: Split, share: number, seed: number): { fit: Split; heldOut: Split } {
  const count = Math.min(trainSet.count - 1, Math.max(1, Math.round(trainSet.count * share)));
  const order = permutation(trainSet.count, createRng(deriveSeed(seed, 'held-out', trainSet.count)));
  return { heldOut: pick(trainSet, order.subarray(0, count)), fit: pick(trainSet, order.subarray(count)) };
}

/** `testInputs`: the model's inputs for the test set (unused by the exact kernel SVM, which reads pixels). */
export async function practitionerTrial(trial: TrialSpec, trainSet: Split, test: Split, testInputs: Float32Array, plan: PractitionerPlan): Promise<PractitionerOutcome> {
  const { fit, heldOut } = holdOut(trainSet, plan.heldOutShare, trial.seed);
  if (trial.spec.kind === 'rbf-svm') {
    // γ chosen on the held-out part, then the SVM trained again on all m with it.
    const choice = await exactRbfSvm(fit, heldOut, test, trial.spec.gammas, trial.spec.costs ?? trial.spec.cost);
    const final = await exactRbfSvm(trainSet, heldOut, test, [choice.gamma], choice.cost);
    return {
      outcome: svmTrialOutcome(`${describeModel(trial.spec)}: γ ${choice.gamma}`, final, choice.valAccuracy, choice.trainSeconds + final.trainSeconds),
      setting: { gamma: choice.gamma, ...(trial.spec.costs ? { C: choice.cost } : {}) },
      heldOut: heldOut.count,
      candidates: choice.sweep.map((s) => ({ setting: { gamma: s.gamma, C: s.cost }, heldOutAccuracy: s.valAccuracy })),
    };
  }
  const loss = lossOf(trial.spec);
  const initSeed = deriveSeed(trial.seed, 'init', trial.model);
  const batches = () => createRng(deriveSeed(trial.seed, 'batches', trial.m));
  const fitInputs = await modelInputs(trial.spec, fit);
  const heldOutInputs = await modelInputs(trial.spec, heldOut);
  let trainSeconds = 0;
  const candidates: { setting: Setting; accuracy: number; loss: number; epochs: number; capped: boolean }[] = [];
  for (const setting of settingsOf(plan.grid)) {
    const candidate = withSetting(trial, setting);
    const model = buildModel(candidate.spec, candidate.optimizer, initSeed);
    const run = await trainToConvergence(model, fit, { rule: trial.stopping, batchSize: trial.batchSize, rng: batches(), inputs: fitInputs, validation: heldOut, validationInputs: heldOutInputs, loss });
    model.dispose();
    trainSeconds += run.trainingSeconds;
    candidates.push({ setting, accuracy: run.validation?.accuracy ?? -1, loss: run.validation?.loss ?? Number.POSITIVE_INFINITY, epochs: run.keptEpoch, capped: run.hitCap });
  }
  const best = candidates.reduce((a, b) => (b.accuracy > a.accuracy || (b.accuracy === a.accuracy && b.loss < a.loss) ? b : a));
  const chosen = withSetting(trial, best.setting);
  const model = buildModel(chosen.spec, chosen.optimizer, initSeed);
  const inputs = await modelInputs(trial.spec, trainSet);
  const epochs = Math.max(1, best.epochs);
  let finalSeconds = 0;
  const final = await train(model, trainSet, { epochs, batchSize: trial.batchSize, rng: batches(), inputs, onEpoch: (_epoch, _loss, seconds) => void (finalSeconds = seconds) });
  trainSeconds += finalSeconds;
  const diverged = final.diverged;
  // The test set is scored once, by the final model, and decided nothing.
  const testScores = diverged ? null : await score(model, test, testInputs, loss);
  const trainScores = diverged ? null : await score(model, trainSet, inputs, loss);
  const outcome: TrialOutcome = {
    architecture: describeModel(chosen.spec),
    params: model.countParams(),
    trainAccuracy: trainScores?.accuracy ?? null,
    valAccuracy: diverged ? null : best.accuracy,
    testAccuracy: testScores?.accuracy ?? null,
    testError: testScores ? 1 - testScores.accuracy : null,
    trainLoss: diverged ? null : final.finalLoss,
    valLoss: diverged ? null : best.loss,
    keptEpoch: epochs,
    epochsRun: epochs,
    steps: final.steps,
    // The epoch count was chosen by a run that stopped at the round cap, not by its patience.
    hitCap: best.capped,
    diverged,
    trainSeconds,
  };
  model.dispose();
  return { outcome, setting: best.setting, heldOut: heldOut.count, candidates: candidates.map((c) => ({ setting: c.setting, heldOutAccuracy: c.accuracy })) };
}
