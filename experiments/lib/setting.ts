/**
 * A tuned setting and the grid it comes from: plain data and pure functions, so that the browser's page
 * code can apply a committed setting without loading the training engine (tuning.ts trains).
 */
import type { ModelSpec } from './models.ts';
import type { TrialSpec } from './protocol.ts';

/** The settings a contender is tuned over. An empty `l2` list means the family has no penalty to tune. */
export interface TuningGrid {
  learningRates: number[];
  l2: number[];
}

export interface Setting {
  learningRate: number;
  /** Undefined when the grid has no penalty to tune (the model keeps its own, if any). */
  l2?: number;
}

/** The grid's settings, in a fixed order (learning rate, then penalty). */
export function settingsOf(grid: TuningGrid): Setting[] {
  return grid.learningRates.flatMap((learningRate) => (grid.l2.length ? grid.l2.map((l2) => ({ learningRate, l2 })) : [{ learningRate }]));
}

/** The trial a setting makes of a base trial: its optimiser's learning rate, its model's penalty. */
export function withSetting(trial: TrialSpec, setting: Setting): TrialSpec {
  const spec = setting.l2 === undefined ? trial.spec : ({ ...trial.spec, l2: setting.l2 } as ModelSpec);
  return { ...trial, spec, optimizer: { ...trial.optimizer, learningRate: setting.learningRate } };
}

/**
 * Whether a chosen value is the smallest or largest of a grid of more than one value. A penalty of 0 is
 * no edge: nothing lies below no penalty, so choosing it says no more could be gained that way.
 */
export function atGridEdge(values: number[], value: number | undefined): boolean {
  if (value === undefined || values.length < 2) return false;
  return value === Math.max(...values) || (value === Math.min(...values) && value !== 0);
}

/**
 * Model families with a grid of their own. The linear models (logistic regression, the linear and
 * random-feature SVMs) need a penalty reaching the strong values that few images call for; for the
 * networks a weak penalty was never far from the best (model-size v3: at the chosen rate, 1e-5 or 1e-4
 * came within 0.4 points of the best penalty in every cell) while their learning rate decided much more,
 * so their grid spends its settings on the rate.
 */
export type TuningFamily = 'linear' | 'network';

export function familyOf(spec: ModelSpec): TuningFamily | undefined {
  if (spec.kind === 'mlp' || spec.kind === 'cnn') return 'network';
  if (spec.kind === 'logistic' || spec.kind === 'features-logistic' || spec.kind === 'linear-svm' || spec.kind === 'rff-svm') return 'linear';
  return undefined;
}

/** The grid a model is tuned over: its family's own, or the plan's default. */
export function gridFor(plan: { grid: TuningGrid; byFamily?: Partial<Record<TuningFamily, TuningGrid>> }, spec: ModelSpec): TuningGrid {
  const family = familyOf(spec);
  return (family && plan.byFamily?.[family]) ?? plan.grid;
}

export function edgesOf(grid: TuningGrid, setting: Setting): { learningRate: boolean; l2: boolean } {
  return { learningRate: atGridEdge(grid.learningRates, setting.learningRate), l2: atGridEdge(grid.l2, setting.l2) };
}
