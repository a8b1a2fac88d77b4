/**
 * What "Run it yourself" offers under each chart, read at build time from the experiments' own
 * configurations (experiments/suite/*.ts, profile `full`: the settings of the committed rows), with the
 * committed rows a reader's run is compared with. Build-time only (it imports the Node experiments);
 * the browser receives the result as /run/<chart>.json, fetched when the reader presses Run.
 */
import { activations } from '../../experiments/suite/activations.ts';
import { compute } from '../../experiments/suite/compute.ts';
import { modelSize } from '../../experiments/suite/model-size.ts';
import { optimizers } from '../../experiments/suite/optimizers.ts';
import { saturation } from '../../experiments/suite/saturation.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { smallData } from '../../experiments/suite/small-data.ts';
import type { Activation, ModelSpec, OptimizerSpec } from '../../experiments/lib/models.ts';
import type { StoppingRule } from '../../experiments/lib/protocol.ts';
import type { Setting } from '../../experiments/lib/setting.ts';
import { trialsOf } from '../../experiments/lib/schema.ts';
import { loadResult } from '../lib/results.ts';
import { COMPARED_FIELDS } from './compare.ts';
import { STEADY_RULE, type SteadyRule } from './steady.ts';
import { CUSTOM_POOL, curveKey, customBounds, type CustomBounds } from './plan.ts';

/**
 * Which precomputed configurations a browser is offered: those whose committed training took at most
 * OFFER_SECONDS on our machine (WebAssembly, one process, a shared 2-core machine: a mid-range laptop
 * is no slower), so that a reader's run, with its validation passes and its download, finishes in
 * about a minute; on at most OFFER_MAX_M images (a training pack of about 1.6 MB); and never the kernel
 * SVMs, which are not tfjs models (libsvm in Node) or cost too much memory in a browser (random features).
 */
export const OFFER_SECONDS = 60;
export const OFFER_MAX_M = 10_000;
const BROWSER_KINDS = new Set(['logistic', 'features-logistic', 'linear-svm', 'mlp', 'cnn']);

export interface OfferedModel {
  name: string;
  label: string;
  spec: ModelSpec;
}

/** A committed row, reduced to what a reader's run is compared on. */
export interface CommittedRow {
  model: string;
  m: number;
  seed: number;
  [field: string]: unknown;
}

/** The experiments whose every unit is one trial by the protocol (model × m × seed). */
export type TrialExperiment = 'scale' | 'small-data' | 'model-size';
/** The experiments whose units train for a fixed number of epochs, validation after each. */
export type CurveExperiment = 'activations' | 'saturation' | 'optimizers';

export interface TrialOffer {
  kind: 'trial';
  experiment: TrialExperiment;
  chart: string;
  models: OfferedModel[];
  /** The training-set sizes offered for each model (committed training time at most OFFER_SECONDS). */
  cells: Record<string, number[]>;
  sizes: number[];
  seeds: number[];
  optimizer: OptimizerSpec;
  /** Per model and size, the learning rate and L2 penalty tuning chose (committed rows); absent: untuned. */
  settings: Record<string, Record<number, Setting>>;
  batchSize: number;
  stopping: StoppingRule;
  testSize: number;
  /** The backend our rows were made on (provenance), and whether the file was made with these settings. */
  committed: { backend: string; sameSettings: boolean; rows: CommittedRow[] };
  custom: CustomBounds;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function meanSeconds(timings: Record<string, unknown>[], model: string, m: number): number {
  // A trial's own timing rows, not its tuning's or a practitioner rerun's (those have a kind).
  const values = timings.filter((t) => t.kind === undefined && t.model === model && t.m === m).map((t) => Number(t.trainSeconds));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.POSITIVE_INFINITY;
}

interface TrialSource {
  models: OfferedModel[];
  sizes: number[];
  seeds: number[];
  optimizer: OptimizerSpec;
  batchSize: number;
  stopping: StoppingRule;
  testSize: number;
  tuning?: unknown;
  practitioner?: unknown;
}

function trialOffer(experiment: TrialExperiment, chart: string, config: TrialSource): TrialOffer {
  const result = loadResult(experiment);
  const fileConfig = result.config as Record<string, unknown>;
  const sameSettings =
    sameJson(fileConfig.stopping, config.stopping) &&
    sameJson(fileConfig.optimizer, config.optimizer) &&
    sameJson(fileConfig.tuning, config.tuning) &&
    fileConfig.batchSize === config.batchSize &&
    fileConfig.testSize === config.testSize &&
    // A trial that chose from its own m images (practitioner.ts) is not what the browser runs.
    !config.practitioner;
  const timings = (result.timings ?? []) as Record<string, unknown>[];
  const cells: Record<string, number[]> = {};
  const models = config.models.filter((model) => {
    if (!BROWSER_KINDS.has(model.spec.kind)) return false;
    const sizes = config.sizes.filter((m) => m <= OFFER_MAX_M && meanSeconds(timings, model.name, m) <= OFFER_SECONDS);
    if (sizes.length) cells[model.name] = sizes;
    return sizes.length > 0;
  });
  const sizes = config.sizes.filter((m) => models.some((model) => cells[model.name]!.includes(m)));
  const trials = trialsOf(result.rows);
  // The learning rate and penalty each model was tuned to at each size (the same for every seed).
  const settings: TrialOffer['settings'] = {};
  for (const row of trials) {
    if (typeof row.learningRate !== 'number') continue;
    (settings[String(row.model)] ??= {})[Number(row.m)] = { learningRate: row.learningRate, ...(typeof row.l2 === 'number' ? { l2: row.l2 } : {}) };
  }
  const rows = trials
    .filter((row) => cells[String(row.model)]?.includes(Number(row.m)))
    .map((row) => {
      const kept: CommittedRow = { model: String(row.model), m: Number(row.m), seed: Number(row.seed) };
      for (const field of [...COMPARED_FIELDS, 'params']) if (field in row) kept[field] = row[field];
      return kept;
    });
  return {
    kind: 'trial',
    experiment,
    chart,
    models: models.map(({ name, label, spec }) => ({ name, label, spec })),
    cells,
    sizes,
    seeds: config.seeds,
    optimizer: config.optimizer,
    batchSize: config.batchSize,
    stopping: config.stopping,
    testSize: config.testSize,
    settings,
    committed: { backend: String(result.provenance.backend), sameSettings, rows },
    custom: customBounds('trial', config.testSize),
  };
}

export function scaleOffer(): TrialOffer {
  return trialOffer('scale', 'scale-learning-curves', scale.configs.full);
}

export function smallDataOffer(): TrialOffer {
  return trialOffer('small-data', 'small-data-seeds', smallData.configs.full);
}

export function modelSizeOffer(): TrialOffer {
  const config = modelSize.configs.full;
  const models = config.widths.map((width) => ({ name: `width-${width}`, label: `${width.toLocaleString('en-US')} hidden units`, spec: { kind: 'mlp' as const, hidden: [width], activation: 'relu' as const } }));
  return trialOffer('model-size', 'model-size-curves', { ...config, models });
}

/** A committed epoch or final row of a fixed-epoch experiment, keyed by its configuration (src/run/plan.ts: curveKey). */
export interface CommittedCurveRow {
  key: string;
  kind: 'epoch' | 'final';
  epoch?: number;
  valAccuracy?: number;
  testAccuracy?: number | null;
  diverged?: boolean;
}

interface CurveCommon {
  kind: 'curve';
  chart: string;
  m: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  testSize: number;
  /** Hidden units per layer of the precomputed networks. */
  width: number;
  committed: { backend: string; sameSettings: boolean; rows: CommittedCurveRow[] };
  custom: CustomBounds;
}

export interface ActivationsOffer extends CurveCommon {
  experiment: 'activations';
  activations: Activation[];
  depths: number[];
  rates: number[];
}

export interface SaturationOffer extends CurveCommon {
  experiment: 'saturation';
  activation: Activation;
  depth: number;
  rates: number[];
}

export interface OptimizersOffer extends CurveCommon {
  experiment: 'optimizers';
  optimizers: { name: OptimizerSpec['name']; label: string; rates: number[] }[];
  model: ModelSpec;
}

export type CurveOffer = ActivationsOffer | SaturationOffer | OptimizersOffer;

function curveRows(experiment: CurveExperiment, rows: Record<string, unknown>[]): CommittedCurveRow[] {
  return rows
    .filter((row) => row.kind === 'epoch' || row.kind === 'final')
    // Only the configurations the offer runs (their keys name no initialisation or activation beside them):
    // the activations offer trains with the engine's Glorot initialisation, not the 'relu-he' contender's
    // He; the saturation offer trains the sigmoid network, not the tanh run drawn beside it.
    .filter((row) => !(experiment === 'activations' && row.init === 'he') && !(experiment === 'saturation' && row.activation !== undefined && row.activation !== 'sigmoid'))
    .map((row) => {
      const key = curveKey(experiment, {
        activation: row.activation as Activation | undefined,
        depth: Number(row.depth),
        optimizer: row.optimizer as OptimizerSpec['name'] | undefined,
        rate: Number(row.rate),
        seed: Number(row.seed),
      });
      return row.kind === 'epoch'
        ? { key, kind: 'epoch' as const, epoch: Number(row.epoch), valAccuracy: Number(row.valAccuracy) }
        : { key, kind: 'final' as const, testAccuracy: row.testAccuracy as number | null, diverged: Boolean(row.diverged) };
    });
}

function curveCommittedSettings(experiment: CurveExperiment, config: Record<string, unknown>) {
  const result = loadResult(experiment);
  const fileConfig = result.config as Record<string, unknown>;
  const keys = ['m', 'epochs', 'width', 'batchSize', 'testSize', 'depth', 'activation', 'model'].filter((k) => k in config);
  const sameSettings = keys.every((k) => sameJson(fileConfig[k], config[k]));
  return { backend: String(result.provenance.backend), sameSettings, rows: curveRows(experiment, result.rows as Record<string, unknown>[]) };
}

/** What every fixed-epoch offer takes from its experiment's config: the run's settings, our committed rows, and your configuration's bounds. */
function curveSettings(experiment: CurveExperiment, config: { m: number; seeds: number[]; epochs: number; batchSize: number; testSize: number }) {
  return {
    kind: 'curve' as const,
    seeds: config.seeds,
    m: config.m,
    epochs: config.epochs,
    batchSize: config.batchSize,
    testSize: config.testSize,
    committed: curveCommittedSettings(experiment, config as unknown as Record<string, unknown>),
    custom: customBounds('curve', config.testSize),
  };
}

export function activationsOffer(): ActivationsOffer {
  const config = activations.configs.full;
  // The Glorot-initialised contenders, one per activation (the engine's own initialisation); every rate any of them ran at.
  const glorot = config.contenders.filter((c) => !c.init);
  return {
    experiment: 'activations',
    chart: 'activations-training',
    activations: glorot.map((c) => c.activation),
    depths: config.depths,
    width: config.width,
    rates: [...new Set(glorot.flatMap((c) => c.rates))].sort((a, b) => a - b),
    ...curveSettings('activations', config),
  };
}

export function saturationOffer(): SaturationOffer {
  const config = saturation.configs.full;
  // The sigmoid's long run (the tanh run beside it is drawn from our rows, not offered).
  const run = config.runs.find((r) => r.activation === 'sigmoid') ?? config.runs[0]!;
  return {
    experiment: 'saturation',
    chart: 'saturation-long-run',
    activation: run.activation,
    depth: config.depth,
    width: config.width,
    rates: run.rates,
    ...curveSettings('saturation', config),
  };
}

export function optimizersOffer(): OptimizersOffer {
  const config = optimizers.configs.full;
  const hidden = config.model.kind === 'mlp' ? config.model.hidden : [];
  return {
    experiment: 'optimizers',
    chart: 'optimizers-curves',
    optimizers: config.optimizers.map(({ name, label, rates }) => ({ name, label, rates })),
    model: config.model,
    width: hidden[0] ?? 0,
    ...curveSettings('optimizers', config),
  };
}

export interface ComputeOffer {
  kind: 'compute';
  chart: string;
  /** Each model with its target validation accuracy and the samples our committed runs needed to reach it (null: none reached it). */
  models: { name: string; label: string; spec: ModelSpec; targetAccuracy: number; samplesToTarget: number | null }[];
  optimizer: OptimizerSpec;
  batchSize: number;
  /** When a throughput figure is steady (src/run/steady.ts); its time cap is the experiment's. */
  rule: SteadyRule;
  m: number;
  seed: number;
}

export function computeOffer(): ComputeOffer {
  const config = compute.configs.full;
  const { summary } = loadResult('compute');
  return {
    kind: 'compute',
    chart: 'compute-throughput',
    models: config.models.map(({ name, label, spec, targetAccuracy }) => ({ name, label, spec, targetAccuracy, samplesToTarget: summary[`samplesToTarget.${name}`] ?? null })),
    // The compute experiment's optimiser (Adam, 1e-3).
    optimizer: { name: 'adam', learningRate: 1e-3 },
    batchSize: config.batchSize,
    rule: { ...STEADY_RULE, maxSeconds: config.throughputSeconds },
    m: config.m,
    seed: config.seed,
  };
}

/** Every MNIST pack the offers need: name → what it holds. */
export type PackSource =
  | { kind: 'validation' }
  | { kind: 'test'; size: number }
  | { kind: 'train'; m: number; seed: number; head?: number }
  /** The first `size` images of the training pool, which "your configuration" samples its training sets from. */
  | { kind: 'pool'; size: number };

export function packName(source: PackSource): string {
  if (source.kind === 'validation') return 'validation';
  if (source.kind === 'test') return `test-${source.size}`;
  if (source.kind === 'pool') return `pool-${source.size}`;
  return `train-m${source.m}-seed${source.seed}${source.head ? `-head${source.head}` : ''}`;
}

export function packSources(): PackSource[] {
  const trials = [scaleOffer(), smallDataOffer(), modelSizeOffer()];
  const curves = [activationsOffer(), saturationOffer(), optimizersOffer()];
  const c = computeOffer();
  const sources: PackSource[] = [
    { kind: 'validation' },
    ...[...trials, ...curves].map((offer) => ({ kind: 'test' as const, size: offer.testSize })),
    { kind: 'pool', size: CUSTOM_POOL },
    ...trials.flatMap((offer) => offer.sizes.flatMap((m) => offer.seeds.map((seed) => ({ kind: 'train' as const, m, seed })))),
    ...curves.flatMap((offer) => offer.seeds.map((seed) => ({ kind: 'train' as const, m: offer.m, seed }))),
    { kind: 'train', m: c.m, seed: c.seed, head: c.batchSize },
  ];
  const seen = new Set<string>();
  return sources.filter((source) => !seen.has(packName(source)) && seen.add(packName(source)));
}
