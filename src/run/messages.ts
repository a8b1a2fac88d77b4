/** What the page and the training worker say to each other (src/run/worker.ts). Browser-safe, types only. */
import type { RoundRecord, TrialOutcome, TrialSpec } from '../../experiments/lib/protocol.ts';

import type { ModelSpec, OptimizerSpec } from '../../experiments/lib/models.ts';
import type { SteadyRule, SteadyState } from './steady.ts';
import type { InitName } from './plan.ts';

/** The backends a reader may pick: wasm is the reproducible one (our rows were made on it); the GPU ones are not bit-identical. */
export type RunBackend = 'wasm' | 'webgpu' | 'webgl';
export type GpuBackend = Exclude<RunBackend, 'wasm'>;

/**
 * Failures the page can ask for, to test its fallbacks (src/run/ui.ts reads them from the address as
 * `run-test-…`; only a test sets them): a backend that fails its first kernel, a device lost after
 * the given number of timed steps, a browser with no GPU backend at all.
 */
export interface TestHooks {
  failFirstKernel?: boolean;
  loseAfterSteps?: number;
  noGpu?: boolean;
}

/** The adapter a GPU backend runs on, as the browser names it, and whether it is a software renderer (never a GPU). */
export interface AdapterReport {
  name: string;
  software: boolean;
}

/** Addresses of the MNIST packs a run needs (src/pages/run/mnist/[pack].bin.ts). */
export interface PackUrls {
  train: string;
  validation: string;
  test: string;
}

/** How a run differs from the engine's own trial: only "your configuration" sets these. */
export interface RunVariation {
  /** Sample the training set (m, seed) from packs.train, a pool, with the engine's sampling, instead of reading it whole. */
  sample?: { m: number; seed: number };
  /** Re-initialise every kernel with this initialiser (seeded as the engine seeds Glorot's). */
  init?: InitName;
  /** A trial by the protocol written out here rather than the engine's trainTrial (so that init applies). */
  custom?: boolean;
  /** Test hook: stop a fixed-epoch run after this many epochs (the committed rows are compared for those only). */
  testEpochs?: number;
}

export type RunRequest =
  | ({ type: 'trial'; trial: TrialSpec; packs: PackUrls; backend: RunBackend; wasmPaths: Record<string, string> } & RunVariation)
  | ({ type: 'curve'; trial: TrialSpec & { epochs: number }; packs: PackUrls; backend: RunBackend; wasmPaths: Record<string, string> } & RunVariation)
  /** After a run: the model's ten probabilities for each 28×28 image (grey levels 0–255, MNIST's format). */
  | { type: 'predict'; id: number; images: Uint8Array; count: number }
  /** After a run: the first `count` test images, with their labels. */
  | { type: 'test-images'; count: number }
  | {
      type: 'measure';
      /** The compute chart's models, timed one after the other on one backend. */
      models: { name: string; spec: ModelSpec }[];
      optimizer: OptimizerSpec;
      batchSize: number;
      seed: number;
      rule: SteadyRule;
      packs: Pick<PackUrls, 'train'>;
      backend: RunBackend;
      wasmPaths: Record<string, string>;
      hooks?: TestHooks;
    };

export type RunPhase = 'loading data' | 'starting the backend' | 'training' | 'scoring the test set';

/** Per-epoch record of a fixed-epoch run (the activations chart). */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
}

export type RunMessage =
  | { type: 'phase'; phase: RunPhase; detail?: string }
  | { type: 'round'; round: RoundRecord }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'trial-done'; outcome: TrialOutcome; backend: string; samplesPerSecond: number }
  | { type: 'curve-done'; epochs: EpochRecord[]; testAccuracy: number | null; diverged: boolean; backend: string }
  | { type: 'backend-ready'; backend: string; adapter: AdapterReport | null }
  | { type: 'step'; model: string; step: number; warmup: boolean }
  | { type: 'measured'; model: string; warmupSeconds: number; steady: SteadyState; params: number }
  | { type: 'measure-done'; backend: string }
  | { type: 'prediction'; id: number; probabilities: number[][] }
  | { type: 'test-images'; images: Uint8Array; labels: number[] }
  | { type: 'error'; kind: ErrorKind; message: string };

/** no-backend: the browser lacks it; kernel-failed: it started but computed wrong or threw; lost: the device went away mid-run. */
export type ErrorKind = 'no-simd' | 'out-of-memory' | 'no-backend' | 'kernel-failed' | 'lost' | 'failed';
