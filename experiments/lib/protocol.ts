/**
 * The protocol every trial follows (DESIGN.md, "one protocol for every trial"):
 *
 * - a fixed validation set of VALIDATION_SIZE images is carved from the MNIST *training* images once,
 *   by a fixed seed; training subsets are drawn from the rest (the pool), never from it;
 * - each (model, m, seed) is trained to convergence by the same rule, STOPPING: training proceeds in
 *   rounds of at least `roundSteps` optimiser steps (whole epochs); after each round the model is
 *   scored on the validation set; training stops once `patience` rounds pass without improvement, or
 *   after `maxRounds`; the weights of the best round are restored. What counts as improvement is the
 *   rule's `monitor`: a lower validation *error* (ties broken by a loss lower by `minDelta`, relative)
 *   since v3, a lower validation loss before (v2 stopped large networks early: their loss turns up
 *   while their error still falls);
 * - the test set is scored once, at the very end, and never decides anything.
 *
 * No Node-only imports here: the site's "Run it yourself" worker runs this same code in a browser.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DataSizeError, pick, type Split } from './split.ts';
import { buildModel, describeModel, lossOf, modelInputs, type ModelSpec, type OptimizerSpec } from './models.ts';
import { createRng, deriveSeed, permutation, type Rng } from './random.ts';
import { score, train, type Scores } from './train.ts';

/** Images held out of the 60,000 training images to decide every stop, target and choice. */
export const VALIDATION_SIZE = 5000;
/** The seed of the validation carve: fixed, so every experiment and every seed shares one validation set. */
const VALIDATION_SEED = 'validation-carve';

export interface ProtocolSplits {
  /** The training images left once the validation set is carved out (55,000): subsets come from here. */
  pool: Split;
  validation: Split;
}

/** Carves the validation set out of the training images; the rest is the pool subsets are drawn from. */
export function carveValidation(train: Split, size = VALIDATION_SIZE): ProtocolSplits {
  // A pool of nothing would make every training subset fail; say why once, here.
  if (train.count <= size) throw new DataSizeError(`the training images: ${train.count.toLocaleString('en-US')} cannot spare ${size.toLocaleString('en-US')} for validation and leave a training pool.`);
  const order = permutation(train.count, createRng(VALIDATION_SEED));
  const validationIndices = order.slice(0, size).sort();
  const poolIndices = order.slice(size).sort();
  return { validation: pick(train, validationIndices), pool: pick(train, poolIndices) };
}

/** The rule that decides when a trial has converged. */
export interface StoppingRule {
  /** A round is whole epochs, at least this many optimiser steps (so a 100-image set is not judged every 2 steps). */
  roundSteps: number;
  /** Rounds without a validation-loss improvement before training stops. */
  patience: number;
  /** The cap on rounds; a trial that reaches it is counted as capped. */
  maxRounds: number;
  /** An improvement must lower the best validation loss by more than this fraction of it. */
  minDelta: number;
  /** What improves: the validation error (loss breaks ties), or the loss alone (v2's rule). Default 'loss'. */
  monitor?: 'error' | 'loss';
}

/** Whether a round's validation scores improve on the best so far, under the rule's monitor. */
export function improves(rule: StoppingRule, scores: Scores, best: Scores | undefined): boolean {
  if (!best) return true;
  const lowerLoss = scores.loss < best.loss * (1 - rule.minDelta);
  if (rule.monitor !== 'error') return lowerLoss;
  return scores.accuracy > best.accuracy || (scores.accuracy === best.accuracy && lowerLoss);
}

/** One validation measurement, taken at the end of a round. */
export interface RoundRecord {
  epoch: number;
  steps: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
}

export interface ConvergenceOutcome {
  diverged: boolean;
  /** The epoch whose weights were kept (the best validation loss). */
  keptEpoch: number;
  keptSteps: number;
  epochsRun: number;
  steps: number;
  /** True when training stopped at maxRounds rather than by patience. */
  hitCap: boolean;
  /** Training loss of the kept epoch; NaN when diverged. */
  trainLoss: number;
  /** Validation scores of the kept weights. */
  validation: Scores | null;
  rounds: RoundRecord[];
  trainingSeconds: number;
  /** Set when onRound abandoned the run: nothing of it is kept. */
  abandoned?: boolean;
  /** Set when extendedPatience was asked for and the run did not diverge. */
  extended?: ExtendedOutcome;
}

export interface ConvergenceOptions {
  rule: StoppingRule;
  batchSize: number;
  rng: Rng;
  /** Model inputs for the training split and the validation split (pixels or features). */
  inputs: Float32Array;
  validation: Split;
  validationInputs: Float32Array;
  loss: 'crossentropy' | 'hinge';
  /**
   * Called after each round, e.g. to report progress or measure gradients. 'stop' ends training as if
   * converged; 'abandon' ends it with no outcome worth scoring (a candidate dropped by tuning).
   */
  onRound?: (round: RoundRecord) => RoundVerdict | Promise<RoundVerdict>;
  /**
   * Stopping sensitivity: train on until this many rounds pass without improvement (more than the
   * rule's patience) and report, beside the rule's own outcome, what the longer patience would have
   * kept. The rule's outcome is exactly what a run without this option gives.
   */
  extendedPatience?: number;
}

export type RoundVerdict = void | 'stop' | 'abandon';

/** What a longer patience (ConvergenceOptions.extendedPatience) kept, for the caller to score and dispose. */
export interface ExtendedOutcome {
  patience: number;
  keptEpoch: number;
  epochsRun: number;
  validation: Scores;
  /** The kept weights; null when they are the rule's own (nothing improved after the rule stopped). */
  weights: tf.Tensor[] | null;
}

/** Epochs in one round for a training set of `count` images. */
export function epochsPerRound(rule: StoppingRule, count: number, batchSize: number): number {
  const stepsPerEpoch = Math.ceil(count / Math.min(batchSize, count));
  return Math.max(1, Math.ceil(rule.roundSteps / stepsPerEpoch));
}

/** Trains `model` in place by the stopping rule and leaves it holding the best round's weights. */
export async function trainToConvergence(model: tfl.LayersModel, data: Split, options: ConvergenceOptions): Promise<ConvergenceOutcome> {
  const { rule } = options;
  const perRound = epochsPerRound(rule, data.count, options.batchSize);
  const rounds: RoundRecord[] = [];
  type Best = { epoch: number; steps: number; trainLoss: number; weights: tf.Tensor[]; scores: Scores };
  let best: Best | undefined;
  // The rule's own outcome, frozen when its patience runs out while a longer one trains on.
  let ruleStop: { best: Best; round: number; steps: number; seconds: number; sinceBest: number } | undefined;
  const patience = Math.max(rule.patience, options.extendedPatience ?? 0);
  let sinceBest = 0;
  let stepsSoFar = 0;
  let trainingSeconds = 0;
  let abandoned = false;
  const stepsPerEpoch = Math.ceil(data.count / Math.min(options.batchSize, data.count));
  const outcome = await train(model, data, {
    epochs: perRound * rule.maxRounds,
    batchSize: options.batchSize,
    rng: options.rng,
    inputs: options.inputs,
    onEpoch: async (epoch, trainLoss, seconds) => {
      trainingSeconds = seconds;
      stepsSoFar = epoch * stepsPerEpoch;
      if (epoch % perRound !== 0) return undefined;
      const scores = await score(model, options.validation, options.validationInputs, options.loss);
      const round = { epoch, steps: stepsSoFar, trainLoss, valLoss: scores.loss, valAccuracy: scores.accuracy };
      rounds.push(round);
      if (Number.isFinite(scores.loss) && improves(rule, scores, best?.scores)) {
        // The rule's frozen best keeps its own copy of the weights; any other earlier best is released.
        if (best && best !== ruleStop?.best) best.weights.forEach((w) => w.dispose());
        best = { epoch, steps: stepsSoFar, trainLoss, weights: model.getWeights().map((w) => w.clone()), scores };
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      if (!ruleStop && best && sinceBest >= rule.patience && patience > rule.patience) {
        ruleStop = { best, round: epoch, steps: stepsSoFar, seconds, sinceBest };
      }
      const verdict = await options.onRound?.(round);
      if (verdict === 'abandon') abandoned = true;
      if (verdict) return 'stop';
      return sinceBest >= patience || !Number.isFinite(scores.loss) ? 'stop' : undefined;
    },
  });
  const release = () => {
    if (ruleStop && ruleStop.best !== best) ruleStop.best.weights.forEach((w) => w.dispose());
    best?.weights.forEach((w) => w.dispose());
  };
  if (abandoned || outcome.diverged || !best) {
    release();
    return {
      diverged: !abandoned,
      keptEpoch: 0,
      keptSteps: 0,
      epochsRun: rounds.at(-1)?.epoch ?? 0,
      steps: outcome.steps,
      hitCap: false,
      trainLoss: Number.NaN,
      validation: null,
      rounds,
      trainingSeconds,
      ...(abandoned ? { abandoned } : {}),
    };
  }
  const capped = rounds.length >= rule.maxRounds && sinceBest < patience;
  // Without a longer patience, or when the rule's patience never ran out, the rule's outcome is the run's.
  const own = ruleStop?.best ?? best;
  model.setWeights(own.weights);
  const result: ConvergenceOutcome = {
    diverged: false,
    keptEpoch: own.epoch,
    keptSteps: own.steps,
    epochsRun: ruleStop ? ruleStop.round : rounds.at(-1)!.epoch,
    steps: ruleStop ? ruleStop.steps : outcome.steps,
    hitCap: ruleStop ? false : capped,
    trainLoss: own.trainLoss,
    validation: own.scores,
    rounds: ruleStop ? rounds.filter((r) => r.epoch <= ruleStop!.round) : rounds,
    trainingSeconds: ruleStop ? ruleStop.seconds : trainingSeconds,
  };
  if (options.extendedPatience !== undefined && options.extendedPatience > rule.patience) {
    result.extended = {
      patience: options.extendedPatience,
      keptEpoch: best.epoch,
      epochsRun: rounds.at(-1)!.epoch,
      validation: best.scores,
      weights: best === own ? null : best.weights,
    };
    own.weights.forEach((w) => w.dispose());
  } else {
    release();
  }
  return result;
}

/** The batch size and stopping rule a trial trains with. */
export interface Training {
  batchSize: number;
  stopping: StoppingRule;
}

export interface TrialSpec extends Training {
  /** Stable model id; it also separates the seeds of different models. */
  model: string;
  spec: ModelSpec;
  optimizer: OptimizerSpec;
  m: number;
  seed: number;
  testSize: number;
}

export interface TrialOutcome {
  architecture: string;
  params: number;
  trainAccuracy: number | null;
  valAccuracy: number | null;
  testAccuracy: number | null;
  testError: number | null;
  /** Training loss of the kept epoch and validation loss of the kept weights. */
  trainLoss: number | null;
  valLoss: number | null;
  keptEpoch: number;
  epochsRun: number;
  steps: number;
  hitCap: boolean;
  diverged: boolean;
  trainSeconds: number;
  /** An exact kernel SVM's γ and (when it chose one) C, chosen on validation. */
  gamma?: number;
  C?: number;
  /** What a doubled patience gives (stopping sensitivity), when the trial asked for it. */
  extended?: { patience: number; keptEpoch: number; epochsRun: number; valAccuracy: number; testAccuracy: number };
}

export interface EvaluationSets {
  validation: Split;
  validationInputs: Float32Array;
  test: Split;
  testInputs: Float32Array;
}

/**
 * One trial on data already drawn: build the model from its seed, train it to convergence on the
 * validation set, then score it once on the test set. The Node runner (trial.ts) and the reader's
 * browser ("Run it yourself") both call this, so the same seed gives the same numbers in both.
 */
export interface TrialHooks {
  onRound?: ConvergenceOptions['onRound'];
  extendedPatience?: number;
  /** Changes the freshly built model before training (the browser's own-configuration initialisers). */
  prepare?: (model: tfl.LayersModel, initSeed: number) => void;
}

/**
 * One trial, handing back its trained model with the outcome: the caller disposes of it (the browser
 * lets a reader try the model they just trained). trainTrial is this, for callers that only need rows.
 */
export async function trainTrialWithModel(trial: TrialSpec, trainSet: Split, sets: EvaluationSets, hooks: TrialHooks = {}): Promise<{ outcome: TrialOutcome; model: tfl.LayersModel; abandoned?: boolean }> {
  const initSeed = deriveSeed(trial.seed, 'init', trial.model);
  const model = buildModel(trial.spec, trial.optimizer, initSeed);
  hooks.prepare?.(model, initSeed);
  const inputs = await modelInputs(trial.spec, trainSet);
  const loss = lossOf(trial.spec);
  const outcome = await trainToConvergence(model, trainSet, {
    rule: trial.stopping,
    batchSize: trial.batchSize,
    rng: createRng(deriveSeed(trial.seed, 'batches', trial.m)),
    inputs,
    validation: sets.validation,
    validationInputs: sets.validationInputs,
    loss,
    onRound: hooks.onRound,
    extendedPatience: hooks.extendedPatience,
  });
  // The test set is scored once, with the kept weights, and decides nothing.
  const test = outcome.diverged || outcome.abandoned ? null : await score(model, sets.test, sets.testInputs, loss);
  let extended: TrialOutcome['extended'];
  if (outcome.extended && test) {
    const { weights, ...kept } = outcome.extended;
    let extendedTest = test;
    if (weights) {
      // Scored with the longer patience's weights, then the rule's weights are put back.
      const own = model.getWeights().map((w) => w.clone());
      model.setWeights(weights);
      extendedTest = await score(model, sets.test, sets.testInputs, loss);
      model.setWeights(own);
      [...own, ...weights].forEach((w) => w.dispose());
    }
    extended = { patience: kept.patience, keptEpoch: kept.keptEpoch, epochsRun: kept.epochsRun, valAccuracy: kept.validation.accuracy, testAccuracy: extendedTest.accuracy };
  }
  if (outcome.abandoned) return { outcome: abandonedOutcome(trial, model, outcome), model, abandoned: true };
  const trainScores = outcome.diverged ? null : await score(model, trainSet, inputs, loss);
  const result: TrialOutcome = {
    architecture: describeModel(trial.spec),
    params: model.countParams(),
    trainAccuracy: trainScores?.accuracy ?? null,
    valAccuracy: outcome.validation?.accuracy ?? null,
    testAccuracy: test?.accuracy ?? null,
    testError: test ? 1 - test.accuracy : null,
    trainLoss: outcome.diverged ? null : outcome.trainLoss,
    valLoss: outcome.validation?.loss ?? null,
    keptEpoch: outcome.keptEpoch,
    epochsRun: outcome.epochsRun,
    steps: outcome.steps,
    hitCap: outcome.hitCap,
    diverged: outcome.diverged,
    trainSeconds: outcome.trainingSeconds,
    ...(extended ? { extended } : {}),
  };
  return { outcome: result, model };
}

/** A run that tuning dropped: how far it got, with nothing scored. */
function abandonedOutcome(trial: TrialSpec, model: tfl.LayersModel, outcome: ConvergenceOutcome): TrialOutcome {
  return {
    architecture: describeModel(trial.spec),
    params: model.countParams(),
    trainAccuracy: null,
    valAccuracy: null,
    testAccuracy: null,
    testError: null,
    trainLoss: null,
    valLoss: null,
    keptEpoch: 0,
    epochsRun: outcome.epochsRun,
    steps: outcome.steps,
    hitCap: false,
    diverged: false,
    trainSeconds: outcome.trainingSeconds,
  };
}

export async function trainTrial(trial: TrialSpec, trainSet: Split, sets: EvaluationSets, hooks: TrialHooks = {}): Promise<TrialOutcome> {
  const { outcome, model } = await trainTrialWithModel(trial, trainSet, sets, hooks);
  model.dispose();
  return outcome;
}
