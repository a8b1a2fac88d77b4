/**
 * The named models the experiments share, and the stopping rule they share, so that "the large
 * network" and "trained to convergence" mean the same thing in every chart.
 */
import type { ModelSpec } from './models.ts';
import type { StoppingRule, Training } from './protocol.ts';
import type { PractitionerPlan } from './practitioner.ts';
import type { TrialTuning } from './trial.ts';

export type { Training } from './protocol.ts';

export interface NamedModel {
  /** Stable id used in rows, summary keys and chart legends. */
  name: string;
  label: string;
  spec: ModelSpec;
  /** The largest training set this model is trained on (an exact kernel SVM's cost grows as m² to m³). */
  maxM?: number;
}

/** RBF kernel widths (γ, for pixels in [0, 1]) tried on the validation set by the exact kernel SVM. */
const RBF_GAMMAS = [0.01, 0.02, 0.04];

export const MODELS = {
  logistic: { name: 'logistic', label: 'Logistic regression', spec: { kind: 'logistic' } },
  svm: { name: 'svm-linear', label: 'Linear SVM', spec: { kind: 'linear-svm', l2: 1e-4 } },
  // γ and C chosen on validation since v3 (C = 10 alone before, Xiao et al. 2017's value); exact up to 3,000 images.
  svmRbf: { name: 'svm-rbf', label: 'Kernel SVM (RBF, exact)', spec: { kind: 'rbf-svm', cost: 10, gammas: RBF_GAMMAS, costs: [1, 10, 100] }, maxM: 3000 },
  svmFourier: {
    name: 'svm-rff',
    label: 'Kernel SVM (RBF, 4,000 random features)',
    spec: { kind: 'rff-svm', l2: 1e-5, features: 4000, gamma: 0.02, projectionSeed: 1 },
  },
  features: { name: 'features', label: 'Hand-engineered features + logistic regression', spec: { kind: 'features-logistic' } },
  small: { name: 'nn-small', label: 'Small network (32)', spec: { kind: 'mlp', hidden: [32], activation: 'relu' } },
  medium: { name: 'nn-medium', label: 'Medium network (256)', spec: { kind: 'mlp', hidden: [256], activation: 'relu' } },
  large: { name: 'nn-large', label: 'Large network (512-512)', spec: { kind: 'mlp', hidden: [512, 512], activation: 'relu' } },
  cnn: { name: 'cnn', label: 'Convolutional network (LeNet-style)', spec: { kind: 'cnn', filters: [6, 16], dense: [120, 84], activation: 'relu' } },
} satisfies Record<string, NamedModel>;

/**
 * The stopping rule of the protocol (protocol.ts). Numbers chosen by measuring (see the README's
 * protocol section): a round of at least 50 steps means a 100-image set is judged every 25 epochs,
 * not every 2 noisy steps, while any set of 3,200 images or more is judged every epoch; 5 rounds of
 * patience (≥ 250 steps, ≥ 5 passes over the data) without a 0.1% drop in validation loss ends a
 * trial; 60 rounds is a cap few trials reach, and those that do are counted.
 */
export const STOPPING: StoppingRule = { roundSteps: 50, patience: 5, maxRounds: 60, minDelta: 1e-3, monitor: 'error' };

/**
 * How the trial grids tune (tuning.ts): successive halving, a third of the settings going on at each
 * rung, the first rung 600 steps, over a grid per model family (setting.ts gridFor).
 * - Networks: Adam's learning rate half a decade apart from 1e-3 to 3e-2, weight decay off or 1e-4.
 *   Measured on model-size: a grid of 3e-4 to 3e-3 (first rung 300 steps) chose 3e-3, its top edge, in
 *   all 16 cells, after only 2 epochs at 10,000 images, where a large step leads whether or not it ends
 *   best (successive halving's short-horizon bias); hence the longer first rung. A grid of 1e-3 to 1e-2
 *   with penalties 1e-5 to 1e-3 still chose 1e-2 in 10 of 16 cells, while at the chosen rate the weakest
 *   penalties (1e-5 or 1e-4) came within 0.4 points of validation accuracy of the best penalty in every
 *   cell at the first rung (a stronger one lost up to 2 points): the settings go to the rate.
 * - Linear models (logistic regression, the linear and random-feature SVMs): the same rates, and an L2
 *   penalty off or a decade apart from 1e-4 to 1e-2, reaching the strong values few images need
 *   (sklearn's default C = 1 is a penalty of 1/(2m): 0.005 at 100 images, 1e-5 at 55,000).
 * A choice at an edge (other than no penalty) is flagged in the summary.
 */
export const TUNING: TrialTuning = {
  grid: { learningRates: [1e-3, 3e-3, 1e-2, 3e-2], l2: [0, 1e-4] },
  byFamily: { linear: { learningRates: [1e-3, 3e-3, 1e-2, 3e-2], l2: [0, 1e-4, 1e-3, 1e-2] } },
  firstRungSteps: 600,
  eta: 3,
};
/**
 * The practitioner's rule (practitioner.ts): Adam at its customary rate, the L2 penalty chosen from a
 * decade-spaced grid reaching the strong penalties that tiny training sets need, on a fifth of the m
 * images held out.
 */
export const PRACTITIONER: PractitionerPlan = { grid: { learningRates: [1e-3], l2: [1e-4, 1e-3, 1e-2] }, heldOutShare: 0.2 };
/** The same on a grid small enough for the smoke tests. */
export const SMOKE_PRACTITIONER: PractitionerPlan = { grid: { learningRates: [1e-3], l2: [1e-4, 1e-2] }, heldOutShare: 0.2 };

/** The same method on a grid and rung small enough for the smoke tests. */
export const SMOKE_TUNING: TrialTuning = {
  grid: { learningRates: [1e-3, 3e-3], l2: [1e-4] },
  byFamily: { linear: { learningRates: [3e-3], l2: [0, 1e-2] } },
  firstRungSteps: 10,
  eta: 2,
};

/**
 * Rough cost of one sample through a model, relative to logistic regression (for scheduling and ETA),
 * fitted to the v2 scale run's training times per sample (wasm, one process): networks 1.5×, 7× and 28×
 * for 32, 256 and 512-512 hidden units, the CNN 58×, 4,000 random features 7.8×.
 */
export function samplePrice(spec: ModelSpec): number {
  if (spec.kind === 'cnn') return 60;
  if (spec.kind === 'mlp') {
    const widths = [784, ...spec.hidden, 10];
    const weights = widths.slice(1).reduce((sum, width, i) => sum + width * widths[i]!, 0);
    return 1 + weights / 30000;
  }
  if (spec.kind === 'features-logistic') return 3;
  if (spec.kind === 'rff-svm') return 1 + spec.features / 500;
  if (spec.kind === 'rbf-svm') return 40;
  return 1;
}

/** Rough number of samples a trial trains on before it converges, for scheduling and the ETA. */
export function expectedSamples(training: Training, m: number): number {
  const stepsPerEpoch = Math.ceil(m / Math.min(training.batchSize, m));
  const steps = Math.max(15 * stepsPerEpoch, 10 * training.stopping.roundSteps);
  return steps * Math.min(training.batchSize, m);
}
