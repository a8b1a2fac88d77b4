/** What the page and the training worker say to each other (src/run/worker.ts). Browser-safe, types only. */
import type { RoundRecord, TrialOutcome, TrialSpec } from '../../experiments/lib/protocol.ts';

/** The backends a reader may pick: wasm is the reproducible one (our rows were made on it). */
export type RunBackend = 'wasm' | 'webgpu';

/** Addresses of the MNIST packs a run needs (src/pages/run/mnist/[pack].bin.ts). */
export interface PackUrls {
  train: string;
  validation: string;
  test: string;
}

export type RunRequest =
  | { type: 'trial'; trial: TrialSpec; packs: PackUrls; backend: RunBackend; wasmPaths: Record<string, string> }
  | { type: 'curve'; trial: TrialSpec & { epochs: number }; packs: PackUrls; backend: RunBackend; wasmPaths: Record<string, string> }
  | { type: 'throughput'; trial: TrialSpec & { steps: number }; packs: Pick<PackUrls, 'train'>; backend: RunBackend; wasmPaths: Record<string, string> };

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
  | { type: 'throughput-done'; samplesPerSecond: number; steps: number; params: number; backend: string }
  | { type: 'error'; kind: 'no-simd' | 'out-of-memory' | 'no-backend' | 'failed'; message: string };
