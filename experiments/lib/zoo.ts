/**
 * The named models the experiments share, and the training schedule they share, so that "the large
 * network" means the same thing in every chart.
 */
import type { ModelSpec } from './models.ts';

export interface NamedModel {
  /** Stable id used in rows, summary keys and chart legends. */
  name: string;
  label: string;
  spec: ModelSpec;
}

export const MODELS = {
  logistic: { name: 'logistic', label: 'Logistic regression', spec: { kind: 'logistic' } },
  svm: { name: 'svm-linear', label: 'Linear SVM', spec: { kind: 'linear-svm', l2: 1e-4 } },
  features: { name: 'features', label: 'Hand-engineered features + logistic regression', spec: { kind: 'features-logistic' } },
  small: { name: 'nn-small', label: 'Small network (32)', spec: { kind: 'mlp', hidden: [32], activation: 'relu' } },
  medium: { name: 'nn-medium', label: 'Medium network (256)', spec: { kind: 'mlp', hidden: [256], activation: 'relu' } },
  large: { name: 'nn-large', label: 'Large network (512-512)', spec: { kind: 'mlp', hidden: [512, 512], activation: 'relu' } },
  cnn: { name: 'cnn', label: 'Convolutional network (LeNet-style)', spec: { kind: 'cnn', filters: [6, 16], dense: [120, 84], activation: 'relu' } },
} satisfies Record<string, NamedModel>;

export interface Schedule {
  batchSize: number;
  /** Small sets get more epochs so that every model sees at least this many gradient steps… */
  minSteps: number;
  /** …up to this many epochs; large sets get at least `minEpochs`. */
  maxEpochs: number;
  minEpochs: number;
}

export function epochsFor(schedule: Schedule, m: number): number {
  const stepsPerEpoch = Math.ceil(m / Math.min(schedule.batchSize, m));
  return Math.min(schedule.maxEpochs, Math.max(schedule.minEpochs, Math.ceil(schedule.minSteps / stepsPerEpoch)));
}

/** Rough cost of one sample through a model, relative to logistic regression (for scheduling and ETA). */
export function samplePrice(spec: ModelSpec): number {
  if (spec.kind === 'cnn') return 60;
  if (spec.kind === 'mlp') return 1 + spec.hidden.reduce((a, b) => a + b, 0) / 64;
  if (spec.kind === 'features-logistic') return 3;
  return 1;
}
