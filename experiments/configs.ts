/**
 * Each experiment's config type, in one home that both its suite module (which runs it) and its
 * summary module (which reads its rows) import, so that neither imports the other's types back.
 */
import type { Activation, ModelSpec } from './lib/models.ts';
import type { OptimizerSpec } from './lib/optimizers.ts';
import type { PractitionerPlan } from './lib/practitioner.ts';
import type { Training } from './lib/protocol.ts';
import type { BackendName } from './lib/schema.ts';
import type { TrialGridConfig, TrialTuning } from './lib/trial.ts';

// scale
export interface ScaleConfig extends TrialGridConfig {
  /** Power laws are fitted from this size up: below it lies the small-data region (Hestness et al. 2017). */
  fitFrom?: number;
  /** The floor fit's range starts here; v3 sets it to fitFrom (one range for both fits), v2 fitted every size. */
  floorFitFrom?: number;
  /**
   * At these sizes every model also runs by the practitioner's rule (its own m images decide), to
   * measure what the 5,000 external validation images are worth to each model.
   */
  practitioner?: { sizes: number[]; plan: PractitionerPlan };
}

// small-data
export interface SmallDataConfig extends TrialGridConfig {
  /** Every choice from the trial's own m images (practitioner.ts); v2 chose on the 5,000 validation images. */
  practitioner?: PractitionerPlan;
}

// model-size
export interface ModelSizeConfig extends Training {
  /** Hidden units of a one-hidden-layer ReLU network. */
  widths: number[];
  sizes: number[];
  seeds: number[];
  testSize: number;
  optimizer: OptimizerSpec;
  tuning?: TrialTuning;
}

// activations
/**
 * One contender of the activations comparison: an activation with an initialisation of its hidden
 * layers, under a name of its own (rows and summary keys use it). The Glorot-initialised contenders are
 * named after their activation ('sigmoid', 'tanh', 'relu'); ReLU with He initialisation is 'relu-he'.
 */
export interface ActivationContender {
  name: string;
  activation: Activation;
  /** The hidden layers' initialisation: Glorot uniform when absent, He normal for 'he'. */
  init?: 'he';
  /** Plain SGD learning rates tried for this contender at every depth (log-spaced). */
  rates: number[];
}

export interface ActivationsConfig {
  contenders: ActivationContender[];
  /** Hidden layers of the plain networks. */
  depths: number[];
  width: number;
  m: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  /** The one rate every contender also runs at (it is in each one's grid), for "same settings, only the activation differs". */
  sharedRate: number;
  /** The validation accuracy every network is timed to reach. */
  targetAccuracy: number;
  /** Examples in the fixed batch on which gradients and signals are measured. */
  gradientBatch: number;
  testSize: number;
}

// saturation
/** One activation of the long run, with the learning rates it runs at. */
export interface SaturationRun {
  activation: Activation;
  rates: number[];
}

export interface SaturationConfig {
  /** The activations compared on the same data, depth, width and epochs, each at its own rates. */
  runs: SaturationRun[];
  depth: number;
  width: number;
  m: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  /** Hidden-layer activations, signals and gradients are measured every this many epochs. */
  probeEvery: number;
  probeBatch: number;
  testSize: number;
}

// optimizers
export interface NamedOptimizer {
  name: OptimizerSpec['name'];
  label: string;
  /** Learning rates tried, log-spaced around the method's customary default. */
  rates: number[];
}

export interface OptimizersConfig {
  optimizers: NamedOptimizer[];
  model: ModelSpec;
  m: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  targetAccuracy: number;
  testSize: number;
}

// compute
export interface ComputeModel {
  name: string;
  label: string;
  spec: ModelSpec;
  /** The validation accuracy a run of this model must reach: "the experiment is done". */
  targetAccuracy: number;
}

export interface ComputeConfig {
  backends: BackendName[];
  models: ComputeModel[];
  /** Steps of batch `batchSize` timed for the throughput figure, after a short warm-up… */
  throughputSteps: number;
  /** …or fewer, once this many seconds have passed (slow backends). */
  throughputSeconds: number;
  batchSize: number;
  m: number;
  testSize: number;
  maxEpochs: number;
  /** A run to the target is attempted only where one epoch fits in half of this budget. */
  maxSeconds: number;
  seed: number;
}
