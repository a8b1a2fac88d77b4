/**
 * One trial, the unit most experiments are made of, under the protocol (protocol.ts): draw m
 * training images from the pool with a seed, build a model, train it to convergence by the stopping
 * rule on the validation set, then score it once on the test images. Shared so every experiment
 * samples, seeds, stops and scores the same way.
 */
import type { UnitContext, UnitResult } from './experiment.ts';
import type { Row } from './schema.ts';
import { exactRbfSvm, svmTrialOutcome } from './kernel-svm.ts';
import { headOfSplit, loadMnist, mnistDirectory, sampleSplit, type Split } from './mnist.ts';
import { describeModel, inputKind, modelInputs, type ModelSpec, type OptimizerSpec } from './models.ts';
import { carveValidation, trainTrial, VALIDATION_SIZE, type EvaluationSets, type ProtocolSplits, type TrialHooks, type TrialOutcome, type TrialSpec } from './protocol.ts';
import { practitionerTrial, type PractitionerOutcome, type PractitionerPlan } from './practitioner.ts';
import { atGridEdge, edgesOf, gridFor, settingsOf, tuneTrial, withSetting, type Setting, type TuningOutcome, type TuningPlan } from './tuning.ts';
import { createRng, deriveSeed } from './random.ts';
import { expectedSamples, samplePrice, type NamedModel, type Training } from './zoo.ts';

export type { TrialOutcome, TrialSpec } from './protocol.ts';

let splits: { directory: string; splits: ProtocolSplits } | undefined;
/** The validation set and the pool, carved once per process (again if MNIST_DIR points elsewhere). */
export function protocolSplits(): ProtocolSplits {
  const mnist = loadMnist();
  if (splits?.directory !== mnist.directory) splits = { directory: mnist.directory, splits: carveValidation(mnist.train) };
  return splits.splits;
}

/** The training subset of a trial: depends on (seed, m) only, so every model at a seed sees the same images. */
export function trialSubset(m: number, seed: number): Split {
  const what = `m = ${m}: the training pool (MNIST's training images in ${mnistDirectory()}, less the ${VALIDATION_SIZE.toLocaleString('en-US')} carved for validation)`;
  return sampleSplit(protocolSplits().pool, m, createRng(deriveSeed(seed, 'sample', m)), what);
}

/** The first `size` test images, the set every trial is scored on once. */
export function testHead(size: number): Split {
  return headOfSplit(loadMnist().test, size, `the test set (MNIST's test images in ${mnistDirectory()})`);
}

const evaluationInputs = new Map<string, Promise<Float32Array>>();
/**
 * A model's inputs for the validation or test set, computed once per process: they depend on the
 * model's input transform only (random Fourier features cost a 784×D product per image).
 */
export function inputsOnce(spec: ModelSpec, name: 'validation' | 'test', split: Split): Promise<Float32Array> {
  // Keyed on the kind of input, not the whole spec: the settings a tuning unit tries (rate, penalty)
  // share one set of inputs (one random-feature SVM's 240 MB of validation and test features, not one per penalty).
  const key = `${inputKind(spec)}/${name}/${split.count}/${loadMnist().directory}`;
  let inputs = evaluationInputs.get(key);
  if (!inputs) evaluationInputs.set(key, (inputs = modelInputs(spec, split)));
  return inputs;
}

/** The validation and test sets of a trial, with the model's inputs for each. */
async function evaluationSets(trial: TrialSpec): Promise<EvaluationSets> {
  const { validation } = protocolSplits();
  const test = testHead(trial.testSize);
  return {
    validation,
    validationInputs: await inputsOnce(trial.spec, 'validation', validation),
    test,
    testInputs: await inputsOnce(trial.spec, 'test', test),
  };
}

/** The learning rate and penalty for a trial's model and size, chosen on validation by successive halving (tuning.ts). */
export async function runTunedTrial(trial: TrialSpec, plan: TuningPlan): Promise<TuningOutcome> {
  return tuneTrial(trial, trialSubset(trial.m, trial.seed), await evaluationSets(trial), plan);
}

/** A trial that makes every choice from its own m images (practitioner.ts), scored once on the test set. */
export async function runPractitionerTrial(trial: TrialSpec, plan: PractitionerPlan): Promise<PractitionerOutcome> {
  const test = testHead(trial.testSize);
  const testInputs = trial.spec.kind === 'rbf-svm' ? new Float32Array(0) : await inputsOnce(trial.spec, 'test', test);
  return practitionerTrial(trial, trialSubset(trial.m, trial.seed), test, testInputs, plan);
}

export async function runTrial(trial: TrialSpec, hooks: TrialHooks = {}): Promise<TrialOutcome> {
  const { validation } = protocolSplits();
  const trainSet = trialSubset(trial.m, trial.seed);
  const testSet = testHead(trial.testSize);
  if (trial.spec.kind === 'rbf-svm') {
    const svm = await exactRbfSvm(trainSet, validation, testSet, trial.spec.gammas, trial.spec.costs ?? trial.spec.cost);
    return {
      ...svmTrialOutcome(`${describeModel(trial.spec)}: γ ${svm.gamma}`, svm, svm.valAccuracy, svm.trainSeconds),
      ...(trial.spec.costs ? { gamma: svm.gamma, C: svm.cost } : {}),
    };
  }
  return trainTrial(trial, trainSet, await evaluationSets(trial), hooks);
}

/** Mean of the numeric values of `field` over rows matching `where`; NaN when there are none. */
export function meanOf<R extends Record<string, unknown>>(rows: R[], field: keyof R, where: (row: R) => boolean): number {
  const values: number[] = [];
  for (const row of rows) {
    const value = row[field];
    if (where(row) && typeof value === 'number') values.push(value);
  }
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/**
 * How the trial grids tune and check their stopping rule. Per model and size, the first seed's unit
 * tunes (tuning.ts) and trains the chosen setting; the other seeds' units need it and train that
 * setting on their own draw of the data. The exact kernel SVM is not tuned here: it picks its γ on
 * validation itself, seed by seed (kernel-svm.ts).
 */
export interface TrialTuning extends TuningPlan {
  /**
   * At these sizes every trial also trains on with this patience, and its rows say what that longer
   * patience would have kept (the stopping rule's sensitivity).
   */
  sensitivity?: { sizes: number[]; patience: number };
}

/**
 * The grid most experiments are: every named model × training-set size × seed, one trial each
 * (a model with a `maxM` only up to that size). An experiment spreads these into its definition and
 * adds its own configs and summary.
 */
export interface TrialGridConfig extends Training {
  models: NamedModel[];
  sizes: number[];
  seeds: number[];
  testSize: number;
  /** The optimiser; its learning rate is the untuned default when `tuning` is absent. */
  optimizer: OptimizerSpec;
  tuning?: TrialTuning;
}

export interface TrialGridUnit {
  key: string;
  model: NamedModel;
  m: number;
  seed: number;
  /** This unit tunes the setting every seed of the model at this size trains with (on the first seed's data). */
  tunes?: boolean;
  needs?: string;
  /** Fields every row of the unit carries besides model, label, m and seed (model-size's width). */
  rowFields?: Record<string, number>;
}

const tunable = (model: NamedModel) => model.spec.kind !== 'rbf-svm';

/** Successive halving's training, in first rungs, for `count` settings cut to a third (eta) at each rung. */
export function halvingBudget(count: number, eta: number): number {
  let alive = count;
  let rung = 1;
  let total = count;
  while (alive > 1) {
    alive = Math.max(1, Math.ceil(alive / eta));
    if (alive === 1) break;
    total += alive * (rung * eta - rung);
    rung *= eta;
  }
  return total;
}

/** The setting a tuning unit chose: the one setting that advanced past its last rung. */
export function chosenSetting(needed: UnitResult | undefined, key: string): Setting {
  const rungs = needed?.rows.filter((r) => r.kind === 'tuning') ?? [];
  const last = Math.max(...rungs.map((r) => r.rung as number));
  const chosen = rungs.filter((r) => r.rung === last && r.advanced === true);
  if (chosen.length !== 1 || typeof chosen[0]!.learningRate !== 'number') throw new Error(`unit ${key}: the tuning unit it needs gave no single chosen setting.`);
  const [row] = chosen as [Row];
  return typeof row.l2 === 'number' ? { learningRate: row.learningRate as number, l2: row.l2 } : { learningRate: row.learningRate as number };
}

/** A trial's rows: the trial itself, and what a longer patience would have kept (kind 'stopping'). */
export function trialRows(base: Record<string, string | number>, outcome: Omit<TrialOutcome, 'trainSeconds'>, setting: Setting | undefined): Row[] {
  const { extended, ...trial } = outcome;
  const rows: Row[] = [{ ...base, ...trial, ...(setting ? { learningRate: setting.learningRate, l2: setting.l2 ?? null } : {}) }];
  if (extended) rows.push({ kind: 'stopping', ...base, ...extended, ruleKeptEpoch: trial.keptEpoch, ruleValAccuracy: trial.valAccuracy, ruleTestAccuracy: trial.testAccuracy });
  return rows;
}

/**
 * A trial grid's unit run by the practitioner's rule (practitioner.ts): its row records the choice,
 * the held-out part and the labelled images the whole trial used. `kind` marks it when it sits beside
 * protocol trials in one file (scale's 'practitioner' rows).
 */
export async function practitionerUnit({ model, m, seed }: TrialGridUnit, config: TrialGridConfig, plan: PractitionerPlan, kind?: string): Promise<UnitResult> {
  const trial: TrialSpec = { model: model.name, spec: model.spec, optimizer: config.optimizer, m, seed, batchSize: config.batchSize, stopping: config.stopping, testSize: config.testSize };
  const { outcome, setting, heldOut } = await runPractitionerTrial(trial, plan);
  // No longer patience runs here: a practitioner's trial has no `extended` check.
  const { trainSeconds, extended: _none, gamma: _gamma, C: _c, ...rest } = outcome;
  const chosen: Row = 'gamma' in setting ? { ...setting } : { learningRate: setting.learningRate, l2: setting.l2 ?? null };
  return {
    rows: [{ ...(kind ? { kind } : {}), model: model.name, label: model.label, m, seed, ...rest, ...chosen, heldOut, labelledImages: m }],
    timings: [{ model: model.name, m, seed, trainSeconds, ...(kind ? { kind } : {}) }],
  };
}

export const trialGrid = {
  /** A trial reads its model, m and seed from its unit: these only list the grid. */
  gridFields: ['models', 'sizes', 'seeds'] as const,

  units(config: TrialGridConfig, keyOf = (model: NamedModel) => model.name): TrialGridUnit[] {
    return config.models.flatMap((model) =>
      config.sizes
        .filter((m) => m <= (model.maxM ?? Infinity))
        .flatMap((m) => {
          const key = (seed: number) => `${keyOf(model)}/m=${m}/seed=${seed}`;
          if (!config.tuning || !tunable(model)) return config.seeds.map((seed) => ({ key: key(seed), model, m, seed }));
          // The tuning unit chooses on the first seed's draw of the data; every seed then trains the choice.
          const tune = `${keyOf(model)}/m=${m}/tune`;
          return [{ key: tune, model, m, seed: config.seeds[0]!, tunes: true }, ...config.seeds.map((seed) => ({ key: key(seed), model, m, seed, needs: tune }))];
        }),
    );
  },

  cost({ model, m, tunes }: TrialGridUnit, config: TrialGridConfig): number {
    // libsvm's cost grows with m² (kernel rows) for each γ tried, plus the predictions.
    if (model.spec.kind === 'rbf-svm') return model.spec.gammas.length * (model.spec.costs?.length ?? 1) * (m * m) / 20 + m * (config.testSize + 5000) / 2;
    // A doubled patience adds its extra rounds to a trial (about 40%).
    const extended = !tunes && config.tuning?.sensitivity?.sizes.includes(m) ? 1.4 : 1;
    const trial = extended * (expectedSamples(config, m) + 12 * 5000 / 3 + config.testSize) * samplePrice(model.spec);
    if (!tunes || !config.tuning) return trial;
    // Measured on model-size v3: a 3 × 3 grid (15 first rungs' worth of training in all) took as long as
    // 3.7 trials of the chosen setting; other grids in proportion to their halving budget.
    return trial * 3.7 * (halvingBudget(settingsOf(gridFor(config.tuning, model.spec)).length, config.tuning.eta) / 15);
  },

  async runUnit(unit: TrialGridUnit, config: TrialGridConfig, context: UnitContext = { backend: undefined as never }): Promise<UnitResult> {
    const { model, m, seed } = unit;
    const trial: TrialSpec = { model: model.name, spec: model.spec, optimizer: config.optimizer, m, seed, batchSize: config.batchSize, stopping: config.stopping, testSize: config.testSize };
    const sensitivity = config.tuning?.sensitivity;
    const hooks: TrialHooks = sensitivity?.sizes.includes(m) ? { extendedPatience: sensitivity.patience } : {};
    const base = { model: model.name, label: model.label, ...unit.rowFields, m, seed };
    if (unit.tunes && config.tuning) {
      const started = performance.now();
      const tuned = await runTunedTrial(trial, config.tuning);
      const rows: Row[] = tuned.rungs.map((record) => ({
        kind: 'tuning',
        ...base,
        learningRate: record.setting.learningRate,
        l2: record.setting.l2 ?? null,
        rung: record.rung,
        epochs: record.epochs,
        valAccuracy: record.valAccuracy,
        valLoss: record.valLoss,
        advanced: record.advanced,
      }));
      // Wall time, validation passes included: what tuning added to the experiment.
      return { rows, timings: [{ kind: 'tuning', model: model.name, m, seed, seconds: (performance.now() - started) / 1000 }] };
    }
    const setting = unit.needs ? chosenSetting(context.needed, unit.key) : undefined;
    const { trainSeconds, ...outcome } = await runTrial(setting ? withSetting(trial, setting) : trial, hooks);
    const rows = trialRows(base, outcome, setting);
    if (setting && config.tuning) {
      const atEdge = edgesOf(gridFor(config.tuning, model.spec), setting);
      rows[0] = { ...rows[0], learningRateAtEdge: atEdge.learningRate, l2AtEdge: atEdge.l2 };
    }
    if (model.spec.kind === 'rbf-svm' && model.spec.costs && outcome.gamma !== undefined) {
      // The kernel SVM tunes itself, seed by seed: its choice is flagged like the tuned models'.
      rows[0] = { ...rows[0], gammaAtEdge: atGridEdge(model.spec.gammas, outcome.gamma), CAtEdge: atGridEdge(model.spec.costs, outcome.C) };
    }
    return { rows, timings: [{ model: model.name, m, seed, trainSeconds }] };
  },
};
