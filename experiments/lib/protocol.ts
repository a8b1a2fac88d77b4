/**
 * The protocol every trial follows (DESIGN.md, "one protocol for every trial"):
 *
 * - a fixed validation set of VALIDATION_SIZE images is carved from the MNIST *training* images once,
 *   by a fixed seed; training subsets are drawn from the rest (the pool), never from it;
 * - each (model, m, seed) is trained to convergence by the same rule, STOPPING: training proceeds in
 *   rounds of at least `roundSteps` optimiser steps (whole epochs); after each round the validation
 *   loss is measured; training stops once `patience` rounds pass without the loss improving by more
 *   than `minDelta` (relative), or after `maxRounds`; the weights of the best round are restored;
 * - the test set is scored once, at the very end, and never decides anything.
 *
 * No Node-only imports here: the site's "Run it yourself" worker runs this same code in a browser.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DataSizeError, PIXELS, type Split } from './split.ts';
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

function take(split: Split, indices: Int32Array): Split {
  const images = new Uint8Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((source, i) => {
    images.set(split.images.subarray(source * PIXELS, (source + 1) * PIXELS), i * PIXELS);
    labels[i] = split.labels[source]!;
  });
  return { images, labels, count: indices.length };
}

/** Carves the validation set out of the training images; the rest is the pool subsets are drawn from. */
export function carveValidation(train: Split, size = VALIDATION_SIZE): ProtocolSplits {
  // A pool of nothing would make every training subset fail; say why once, here.
  if (train.count <= size) throw new DataSizeError(`the training images: ${train.count.toLocaleString('en-US')} cannot spare ${size.toLocaleString('en-US')} for validation and leave a training pool.`);
  const order = permutation(train.count, createRng(VALIDATION_SEED));
  const validationIndices = order.slice(0, size).sort();
  const poolIndices = order.slice(size).sort();
  return { validation: take(train, validationIndices), pool: take(train, poolIndices) };
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
  /** Called after each round, e.g. to report progress or measure gradients; may stop training. */
  onRound?: (round: RoundRecord) => void | 'stop' | Promise<void | 'stop'>;
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
  let best: { loss: number; epoch: number; steps: number; trainLoss: number; weights: tf.Tensor[]; scores: Scores } | undefined;
  let sinceBest = 0;
  let stepsSoFar = 0;
  let trainingSeconds = 0;
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
      if (!best || scores.loss < best.loss * (1 - rule.minDelta)) {
        best?.weights.forEach((w) => w.dispose());
        best = { loss: scores.loss, epoch, steps: stepsSoFar, trainLoss, weights: model.getWeights().map((w) => w.clone()), scores };
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      if ((await options.onRound?.(round)) === 'stop') return 'stop';
      return sinceBest >= rule.patience || !Number.isFinite(scores.loss) ? 'stop' : undefined;
    },
  });
  if (outcome.diverged || !best) {
    best?.weights.forEach((w) => w.dispose());
    return {
      diverged: true,
      keptEpoch: 0,
      keptSteps: 0,
      epochsRun: rounds.at(-1)?.epoch ?? 0,
      steps: outcome.steps,
      hitCap: false,
      trainLoss: Number.NaN,
      validation: null,
      rounds,
      trainingSeconds,
    };
  }
  model.setWeights(best.weights);
  best.weights.forEach((w) => w.dispose());
  const epochsRun = rounds.at(-1)!.epoch;
  return {
    diverged: false,
    keptEpoch: best.epoch,
    keptSteps: best.steps,
    epochsRun,
    steps: outcome.steps,
    hitCap: sinceBest < rule.patience && rounds.length >= rule.maxRounds,
    trainLoss: best.trainLoss,
    validation: best.scores,
    rounds,
    trainingSeconds,
  };
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
  /** Changes the freshly built model before training (the browser's own-configuration initialisers). */
  prepare?: (model: tfl.LayersModel, initSeed: number) => void;
}

/**
 * One trial, handing back its trained model with the outcome: the caller disposes of it (the browser
 * lets a reader try the model they just trained). trainTrial is this, for callers that only need rows.
 */
export async function trainTrialWithModel(trial: TrialSpec, trainSet: Split, sets: EvaluationSets, hooks: TrialHooks = {}): Promise<{ outcome: TrialOutcome; model: tfl.LayersModel }> {
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
  });
  // The test set is scored once, with the kept weights, and decides nothing.
  const test = outcome.diverged ? null : await score(model, sets.test, sets.testInputs, loss);
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
  };
  return { outcome: result, model };
}

export async function trainTrial(trial: TrialSpec, trainSet: Split, sets: EvaluationSets, onRound?: ConvergenceOptions['onRound']): Promise<TrialOutcome> {
  const { outcome, model } = await trainTrialWithModel(trial, trainSet, sets, { onRound });
  model.dispose();
  return outcome;
}
