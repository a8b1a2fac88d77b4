/**
 * What "Run it yourself" offers under each chart, read at build time from the experiments' own
 * configurations (experiments/suite/*.ts, profile `full`: the settings of the committed rows), with the
 * committed rows a reader's run is compared with. Build-time only (it imports the Node experiments);
 * the browser receives the result as /run/<chart>.json, fetched when the reader presses Run.
 */
import { activations } from '../../experiments/suite/activations.ts';
import { compute } from '../../experiments/suite/compute.ts';
import { scale } from '../../experiments/suite/scale.ts';
import type { ModelSpec, OptimizerSpec } from '../../experiments/lib/models.ts';
import type { StoppingRule } from '../../experiments/lib/protocol.ts';
import { loadResult } from '../lib/results.ts';
import { COMPARED_FIELDS } from './compare.ts';
import { STEADY_RULE, type SteadyRule } from './steady.ts';

/** The scale models a browser trains in reasonable time (the larger ones and the SVMs are left out). */
const SCALE_MODELS = ['logistic', 'nn-small', 'nn-medium', 'cnn'];
/** The largest training set offered: a few thousand images, so a run takes seconds to minutes. */
const SCALE_MAX_M = 3000;

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

export interface ScaleOffer {
  kind: 'scale';
  chart: string;
  models: OfferedModel[];
  sizes: number[];
  seeds: number[];
  optimizer: OptimizerSpec;
  batchSize: number;
  stopping: StoppingRule;
  testSize: number;
  /** The backend our rows were made on (provenance), and whether the file was made with these settings. */
  committed: { backend: string; sameSettings: boolean; rows: CommittedRow[] };
}


function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function scaleOffer(): ScaleOffer {
  const config = scale.configs.full;
  const models = config.models.filter((model) => SCALE_MODELS.includes(model.name)).map(({ name, label, spec }) => ({ name, label, spec }));
  const sizes = config.sizes.filter((m) => m <= SCALE_MAX_M);
  const result = loadResult('scale');
  const fileConfig = result.config as Record<string, unknown>;
  const sameSettings =
    sameJson(fileConfig.stopping, config.stopping) &&
    sameJson(fileConfig.optimizer, config.optimizer) &&
    fileConfig.batchSize === config.batchSize &&
    fileConfig.testSize === config.testSize;
  const rows = result.rows
    .filter((row) => SCALE_MODELS.includes(String(row.model)) && sizes.includes(Number(row.m)))
    .map((row) => {
      const kept: CommittedRow = { model: String(row.model), m: Number(row.m), seed: Number(row.seed) };
      for (const field of COMPARED_FIELDS) if (field in row) kept[field] = row[field];
      return kept;
    });
  return {
    kind: 'scale',
    chart: 'scale-learning-curves',
    models,
    sizes,
    seeds: config.seeds,
    optimizer: config.optimizer,
    batchSize: config.batchSize,
    stopping: config.stopping,
    testSize: config.testSize,
    committed: { backend: String(result.provenance.backend), sameSettings, rows },
  };
}

export interface ActivationsOffer {
  kind: 'activations';
  chart: string;
  activations: string[];
  depths: number[];
  width: number;
  rates: number[];
  seeds: number[];
  m: number;
  epochs: number;
  batchSize: number;
  testSize: number;
  committed: { backend: string; sameSettings: boolean; rows: Record<string, unknown>[] };
}

export function activationsOffer(): ActivationsOffer {
  const config = activations.configs.full;
  const result = loadResult('activations');
  const fileConfig = result.config as Record<string, unknown>;
  const sameSettings = fileConfig.m === config.m && fileConfig.epochs === config.epochs && fileConfig.width === config.width && fileConfig.batchSize === config.batchSize && fileConfig.testSize === config.testSize;
  const rows = result.rows
    .filter((row) => row.kind === 'epoch' || row.kind === 'final')
    .map((row) => {
      const { kind, activation, depth, rate, seed, epoch, valAccuracy, valLoss, trainLoss, testAccuracy, diverged, epochsRun } = row;
      return { kind, activation, depth, rate, seed, epoch, valAccuracy, valLoss, trainLoss, testAccuracy, diverged, epochsRun };
    });
  return {
    kind: 'activations',
    chart: 'activations-training',
    activations: config.activations,
    depths: config.depths,
    width: config.width,
    rates: config.rates,
    seeds: config.seeds,
    m: config.m,
    epochs: config.epochs,
    batchSize: config.batchSize,
    testSize: config.testSize,
    committed: { backend: String(result.provenance.backend), sameSettings, rows },
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
export type PackSource = { kind: 'validation' } | { kind: 'test'; size: number } | { kind: 'train'; m: number; seed: number; head?: number };

export function packName(source: PackSource): string {
  if (source.kind === 'validation') return 'validation';
  if (source.kind === 'test') return `test-${source.size}`;
  return `train-m${source.m}-seed${source.seed}${source.head ? `-head${source.head}` : ''}`;
}

export function packSources(): PackSource[] {
  const s = scaleOffer();
  const a = activationsOffer();
  const c = computeOffer();
  const sources: PackSource[] = [
    { kind: 'validation' },
    { kind: 'test', size: Math.max(s.testSize, a.testSize) },
    ...s.sizes.flatMap((m) => s.seeds.map((seed) => ({ kind: 'train' as const, m, seed }))),
    ...a.seeds.map((seed) => ({ kind: 'train' as const, m: a.m, seed })),
    { kind: 'train', m: c.m, seed: c.seed, head: c.batchSize },
  ];
  const seen = new Set<string>();
  return sources.filter((source) => !seen.has(packName(source)) && seen.add(packName(source)));
}
