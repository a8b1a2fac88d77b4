/**
 * The summary keys each experiment's summary code may leave out, given its config: a target never
 * reached, a fit with too few points, a backend this machine lacks. The code writes them only when
 * they exist, and the runner drops a value that is not a finite number (runner.ts assemble); a
 * lesson may show its `missing` words only for one of these (<Value missing="…">), never for a key
 * that is always there or one that is misspelled.
 *
 * Kept apart from the summary code so that the site can read it without loading TensorFlow. When a
 * summary starts leaving a key out, declare it here: the build refuses `missing=` on any other key.
 */
import type { TrialGridConfig } from '../lib/trial.ts';
import type { ActivationsConfig } from '../configs.ts';
import type { ComputeConfig } from '../configs.ts';
import type { ModelSizeConfig } from '../configs.ts';
import type { OptimizersConfig } from '../configs.ts';
import type { SaturationConfig } from '../configs.ts';

/** protocol.ts protocolSummary: no kept epochs when no trial trained by gradient steps. */
const protocol = ['keptEpoch.min', 'keptEpoch.max'];

/** scale.ts summarizeScale. */
function scale(config: TrialGridConfig): string[] {
  const keys = [...protocol, 'kernelGap.m', 'kernelGap.largestShared', 'fit.steepestExponent', 'fit.shallowestExponent', 'fit.seedResamples', 'm.lastStepFrom'];
  // Only where an exact kernel SVM and a fully connected network ran at the same size.
  keys.push(...['m', 'bestNetwork.accuracy', 'marginOverNetworks', 'separated'].map((k) => `exactKernel.${k}`), 'exactKernelLow.bestNetwork', 'exactKernelHigh.bestNetwork');
  for (const { name } of config.models) {
    // params only for a model with a fixed count; the rest only for models run up to the largest m,
    // or where enough sizes allow a fit; errorCut is NaN when the reference accuracy is 100%.
    keys.push(`params.${name}`, `gainSinceReference.${name}`, `errorCutSinceReference.${name}`, `flattensAt.${name}`);
    keys.push(`accuracyLow.${name}.largest`, `accuracyHigh.${name}.largest`);
    keys.push(`errorCutLastStep.${name}`, `errorCutLastStepLow.${name}`, `errorCutLastStepHigh.${name}`);
    keys.push(`marginOverLogistic.${name}.smallest`, `marginOverLogistic.${name}.largest`);
    keys.push(`fit.${name}.exponent`, `fit.${name}.exponentStderr`, `fit.${name}.r2`, `fit.${name}.exponentLow`, `fit.${name}.exponentHigh`);
    keys.push(`fitFloor.${name}.exponent`, `fitFloor.${name}.floor`, `fitFloor.${name}.r2`, `fitFloor.${name}.exponentLow`, `fitFloor.${name}.exponentHigh`);
  }
  for (const m of config.sizes) keys.push(`kernelGap.${m}`);
  return keys;
}

/** small-data.ts summarize: no pair of seeds to compare when every trial at m diverged. */
function smallData(config: TrialGridConfig): string[] {
  return [...protocol, ...config.sizes.map((m) => `pairReversalRate.${m}`)];
}

/** model-size.ts summarize: no width fits every training image. */
function modelSize(config: ModelSizeConfig): string[] {
  return [...protocol, ...config.sizes.map((m) => `memorisingWidth.${m}`)];
}

/** activations.ts summarizeActivations: a target not reached in every seed, a run that diverged. */
function activations(config: ActivationsConfig): string[] {
  const keys: string[] = [];
  const deepest = Math.max(...config.depths);
  const names = config.contenders.map((c) => c.name);
  for (const depth of config.depths) {
    for (const setting of ['best', 'shared']) {
      for (const name of names) {
        for (const measure of ['epochsToTarget', 'secondsToTarget']) keys.push(`${measure}.${setting}.${name}.${depth}`, `${measure}Low.${setting}.${name}.${depth}`, `${measure}High.${setting}.${name}.${depth}`);
        keys.push(`testAccuracy.${setting}.${name}.${depth}`);
      }
      for (const a of names)
        for (const b of names) keys.push(`speedup.${setting}.${a}-vs-${b}.${depth}`, `secondsSpeedup.${setting}.${a}-vs-${b}.${depth}`, `speedupAtLeast.${setting}.${a}-vs-${b}.${depth}`);
    }
    // A signal ratio is NaN where a layer passes nothing (every unit dead, or a diverged run).
    for (const name of names) {
      for (const when of ['AtInit', 'AfterEpoch1', 'Last']) {
        keys.push(`backwardRatio${when}.${name}.${depth}`, `activationRatio${when}.${name}.${depth}`, `backwardPerLayer${when}.${name}.${depth}`, `activationPerLayer${when}.${name}.${depth}`);
      }
      keys.push(`gradientRatioAfterEpoch1.${name}.${depth}`);
      for (let layer = 1; layer <= depth; layer++) keys.push(`backwardRms.last.${name}.${depth}.${layer}`, `activationRms.last.${name}.${depth}.${layer}`);
    }
  }
  for (const name of names) keys.push(`secondsPerEpoch.${name}.${deepest}`, `secondsPerEpochLow.${name}.${deepest}`, `secondsPerEpochHigh.${name}.${deepest}`);
  return keys;
}

/** optimizers.ts summarizeOptimizers: a target not reached in every seed, a best rate that diverged. */
function optimizers(config: OptimizersConfig): string[] {
  return config.optimizers.flatMap(({ name }) => [
    `epochsToTarget.${name}`,
    `secondsToTarget.${name}`,
    `speedupOverSgd.${name}`,
    `speedupOverSgdAtLeast.${name}`,
    `finalAccuracy.${name}`,
  ]);
}

/** saturation.ts summarizeSaturation: a run that never escapes chance, or diverged. */
function saturation(config: SaturationConfig): string[] {
  const keys = ['escapeEpoch.earliest'];
  for (const { activation, rates } of config.runs) {
    for (const rate of rates) {
      const key = `${activation}.${rate}`;
      keys.push(`escapeEpoch.${key}`, `escapeEpochMin.${key}`, `escapeEpochMax.${key}`, `testAccuracy.${key}`);
      keys.push(`testAccuracyLow.${key}`, `testAccuracyHigh.${key}`);
      keys.push(`backwardRatio.last.${key}`, `gradientRatio.init.${key}`, `gradientRatio.last.${key}`);
      for (let layer = 1; layer <= config.depth; layer++) keys.push(`backwardRms.last.${key}.${layer}`, `activationRms.last.${key}.${layer}`);
    }
  }
  return keys;
}

/** compute.ts summarizeCompute: a backend not on this machine, or too slow to reach the target. */
function compute(config: ComputeConfig): string[] {
  const keys: string[] = [];
  for (const { name } of config.models) {
    keys.push(`samplesToTarget.${name}`, `speedupOverPlainJs.${name}`, `webgpuOverWasm.${name}`);
    for (const backend of config.backends) {
      for (const measure of ['samplesPerSecond', 'secondsToTarget', 'experimentsPerDay', 'epochsToTarget', 'projectedSecondsToTarget', 'projectedExperimentsPerDay']) {
        keys.push(`${measure}.${backend}.${name}`);
      }
    }
  }
  return keys;
}

// Each takes the config its result file was made with (the file's `config`).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OPTIONAL: Record<string, (config: any) => string[]> = {
  scale,
  'small-data': smallData,
  'model-size': modelSize,
  history: () => [],
  activations,
  saturation,
  optimizers,
  compute,
};

/** Ids of the experiments whose optional keys are declared: every experiment in experiments/suite. */
export const DECLARED_EXPERIMENTS = Object.keys(OPTIONAL);

/** The summary keys that experiment `id`, run with `config`, may leave out; undefined for an unknown id. */
export function optionalSummaryKeys(id: string, config: Record<string, unknown>): Set<string> | undefined {
  const declare = OPTIONAL[id];
  return declare ? new Set(declare(config)) : undefined;
}
