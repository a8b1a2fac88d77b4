/**
 * What one "Run it yourself" run is, in plain data (a RunConfig: what the form chose, what a shared link
 * carries), and what it trains (a Plan: the engine's TrialSpec, the packs, the committed rows it is
 * compared with). Also the bounds of "your own configuration" and the check of its fields, the
 * nearest precomputed configuration, and the series label a run gets on the chart.
 *
 * Browser-safe and pure (unit-tested in tests/unit/run-plan.test.ts): the build (offers.ts) and the page
 * (ui.ts) both use it, so the committed rows and a reader's run are keyed the same way.
 */
import type { Activation, ModelSpec, OptimizerSpec } from '../../experiments/lib/models.ts';
import type { TrialSpec } from '../../experiments/lib/protocol.ts';
import { withSetting } from '../../experiments/lib/setting.ts';
import type { CurveOffer, TrialOffer } from './offers.ts';
import type { RunBackend } from './messages.ts';

/**
 * Your configuration draws its training images from the first CUSTOM_POOL images of the protocol's
 * training pool (one pack of about 1.6 MB, fetched only for such a run), with the engine's own sampling
 * (sampleSplit, seeded by seed and m) — unless a precomputed pack holds exactly its (m, seed).
 */
export const CUSTOM_POOL = 10_000;
/** The protocol's training pool: 60,000 MNIST training images less the 5,000 carved for validation. */
export const FULL_POOL = 55_000;

export type InitName = 'glorot-uniform' | 'he-normal' | 'small-normal';
export const INITS: { value: InitName; label: string }[] = [
  { value: 'glorot-uniform', label: 'Glorot uniform (ours)' },
  { value: 'he-normal', label: 'He normal' },
  { value: 'small-normal', label: 'Normal, σ 0.01 (pre-2010 style)' },
];
export const ACTIVATIONS: Activation[] = ['relu', 'tanh', 'sigmoid'];
export const OPTIMIZERS: { value: OptimizerSpec['name']; label: string }[] = [
  { value: 'sgd', label: 'SGD' },
  { value: 'momentum', label: 'SGD with momentum 0.9' },
  { value: 'rmsprop', label: 'RMSProp' },
  { value: 'adam', label: 'Adam' },
];

export interface CustomBounds {
  minM: number;
  maxM: number;
  maxLayers: number;
  maxWidth: number;
  minRate: number;
  maxRate: number;
  /** Fixed-epoch charts only. */
  maxEpochs: number;
  maxSeed: number;
  /** The most estimated work (see workOf) a run may take: about three minutes on our machine's WebAssembly. */
  maxWork: number;
}

/**
 * Calibrated on our committed timings (WebAssembly, one process): the 512-512 network's 10,000-image trial
 * (workOf 1.3e11) trained in 59 s, and the saturation run (1.0e11) in 52 s. 3.5e11 is about three minutes.
 */
const MAX_WORK = 3.5e11;

export function customBounds(kind: 'trial' | 'curve', testSize: number): CustomBounds {
  void testSize;
  return { minM: 10, maxM: CUSTOM_POOL, maxLayers: kind === 'curve' ? 10 : 4, maxWidth: 1024, minRate: 1e-5, maxRate: 10, maxEpochs: 120, maxSeed: 1_000_000, maxWork: MAX_WORK };
}

/** One run, as the form or a link gives it. */
export interface RunConfig {
  custom: boolean;
  backend: RunBackend;
  m: number;
  seed: number;
  /** Trial charts: the precomputed model's name, or for your configuration 'logistic' or 'network'. */
  model?: string;
  widths?: number[];
  activation?: Activation;
  init?: InitName;
  optimizer?: OptimizerSpec['name'];
  rate?: number;
  epochs?: number;
}

export type Offer = TrialOffer | CurveOffer;

/** The key of a fixed-epoch experiment's configuration, shared by the committed rows and a reader's run. */
export function curveKey(experiment: CurveOffer['experiment'], c: { activation?: string; depth?: number; optimizer?: string; rate: number; seed: number }): string {
  if (experiment === 'activations') return `${c.activation}/${c.depth}/${c.rate}/${c.seed}`;
  if (experiment === 'saturation') return `${c.rate}/${c.seed}`;
  return `${c.optimizer}/${c.rate}/${c.seed}`;
}

/** Parameters of a dense network (or a linear model when hidden is empty) on 784 inputs. */
export function mlpParams(hidden: number[], inputs = 784): number {
  let total = 0;
  let fanIn = inputs;
  for (const units of [...hidden, 10]) {
    total += (fanIn + 1) * units;
    fanIn = units;
  }
  return total;
}

export function paramsOf(spec: ModelSpec): number {
  if (spec.kind === 'mlp') return mlpParams(spec.hidden);
  if (spec.kind === 'features-logistic') return mlpParams([], 205);
  if (spec.kind === 'cnn') return 61_706;
  return mlpParams([]);
}

/** Estimated work of one training sample through a dense network: its parameters, plus a per-layer overhead. */
function sampleWork(hidden: number[]): number {
  return mlpParams(hidden) + 20_000 * (hidden.length + 1);
}

/** Samples a trial is expected to train on before the stopping rule ends it (as zoo.ts estimates), plus validation and test passes. */
function trialSamples(m: number, batchSize: number, testSize: number): number {
  const batch = Math.min(batchSize, m);
  const stepsPerEpoch = Math.ceil(m / batch);
  return Math.max(15 * stepsPerEpoch, 500) * batch + (12 * 5000) / 3 + testSize;
}

export function workOf(offer: Offer, config: RunConfig): number {
  const hidden = config.model === 'logistic' ? [] : (config.widths ?? []);
  if (offer.kind === 'trial') return sampleWork(hidden) * trialSamples(config.m, offer.batchSize, offer.testSize);
  return sampleWork(hidden) * (config.m + 5000 / 3) * (config.epochs ?? offer.epochs);
}

const count = (n: number) => n.toLocaleString('en-US');

export interface FieldErrors {
  [field: string]: string;
}

/**
 * Reads and checks your configuration's fields (the form's raw strings): a config, or a message for
 * each field that is wrong, saying why and what is allowed. Nothing trains until there are none.
 */
export function readCustom(offer: Offer, raw: Record<string, string>, backend: RunBackend): { config?: RunConfig; errors: FieldErrors } {
  const b = offer.custom;
  const errors: FieldErrors = {};
  const integer = (field: string, label: string, min: number, max: number, tooBig?: (n: number) => string): number => {
    const text = (raw[field] ?? '').trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) errors[field] = `${label}: enter a whole number from ${count(min)} to ${count(max)}.`;
    else if (!Number.isInteger(n)) errors[field] = `${label}: ${text} is not a whole number.`;
    else if (n < min) errors[field] = `${label}: at least ${count(min)}.`;
    else if (n > max) errors[field] = tooBig ? tooBig(n) : `${label}: at most ${count(max)}.`;
    return n;
  };
  const model = offer.kind === 'trial' ? (raw.model === 'logistic' ? 'logistic' : 'network') : 'network';
  let widths: number[] = [];
  if (model === 'network') {
    const parts = (raw.widths ?? '').split(/[,\s]+/).filter(Boolean);
    if (parts.length === 0) errors.widths = `Hidden layers: give each layer's width, separated by commas (for example 64, 64).`;
    else if (parts.length > b.maxLayers) errors.widths = `Hidden layers: at most ${b.maxLayers} layers here (you gave ${parts.length}).`;
    else {
      widths = parts.map(Number);
      const bad = parts.find((p) => !/^\d+$/.test(p));
      if (bad !== undefined) errors.widths = `Hidden layers: "${bad}" is not a whole number of units.`;
      else if (widths.some((w) => w < 1)) errors.widths = 'Hidden layers: a layer of 0 units passes nothing on; each width must be at least 1.';
      else if (widths.some((w) => w > b.maxWidth)) errors.widths = `Hidden layers: at most ${count(b.maxWidth)} units a layer in a browser run.`;
    }
  }
  const activation = ACTIVATIONS.includes(raw.activation as Activation) ? (raw.activation as Activation) : undefined;
  if (model === 'network' && !activation) errors.activation = 'Activation: choose ReLU, tanh or sigmoid.';
  const init = INITS.some((i) => i.value === raw.init) ? (raw.init as InitName) : 'glorot-uniform';
  const optimizer = OPTIMIZERS.some((o) => o.value === raw.optimizer) ? (raw.optimizer as OptimizerSpec['name']) : undefined;
  if (!optimizer) errors.optimizer = 'Optimiser: choose one of the four.';
  const rateText = (raw.rate ?? '').trim();
  const rate = Number(rateText);
  if (rateText === '' || !Number.isFinite(rate)) errors.rate = 'Learning rate: enter a number, such as 0.01 or 1e-3.';
  else if (rate <= 0) errors.rate = 'Learning rate: must be above 0 (a step of 0 never moves; a negative one climbs the loss).';
  else if (rate < b.minRate) errors.rate = `Learning rate: at least ${b.minRate}; smaller steps barely move the weights in a few minutes.`;
  else if (rate > b.maxRate) errors.rate = `Learning rate: at most ${b.maxRate}; a step of ${rateText} makes gradient descent diverge at once (the loss overflows).`;
  const m = integer('m', 'Training images', b.minM, b.maxM, (n) =>
    n > FULL_POOL
      ? `Training images: the training pool holds only ${count(FULL_POOL)} images (MNIST's 60,000 less the 5,000 kept for validation), not ${count(n)}.`
      : `Training images: at most ${count(b.maxM)}: your browser draws them from the first ${count(CUSTOM_POOL)} images of the ${count(FULL_POOL)}-image training pool (all of it would be a 9 MB download).`,
  );
  const seed = integer('seed', 'Seed', 1, b.maxSeed);
  const epochs = offer.kind === 'curve' ? integer('epochs', 'Epochs', 1, b.maxEpochs) : undefined;
  const config: RunConfig = { custom: true, backend, m, seed, model: offer.kind === 'trial' ? model : undefined, widths: model === 'network' ? widths : undefined, activation: model === 'network' ? activation : undefined, init, optimizer, rate, epochs };
  if (Object.keys(errors).length === 0) {
    const work = workOf(offer, config);
    if (work > b.maxWork) {
      const times = work / b.maxWork;
      errors[model === 'network' ? 'widths' : 'm'] =
        `Too long for a browser run: this network on ${count(m)} images${offer.kind === 'curve' ? ` for ${epochs} epochs` : ''} would take about ${times.toFixed(1)}× our limit of a few minutes; use fewer or narrower layers, fewer images${offer.kind === 'curve' ? ' or fewer epochs' : ''}.`;
    }
  }
  return Object.keys(errors).length ? { errors } : { config, errors };
}

/** The configuration the precomputed form's choices name. */
export function precomputedConfig(offer: Offer, choice: Record<string, string>, backend: RunBackend): RunConfig {
  const seed = Number(choice.seed) || offer.seeds[0]!;
  const rate = Number(choice.rate);
  if (offer.kind === 'trial') {
    const model = offer.models.find((m) => m.name === choice.model) ?? offer.models[0]!;
    return { custom: false, backend, model: model.name, m: Number(choice.m) || offer.sizes[0]!, seed };
  }
  if (offer.experiment === 'activations') {
    const depth = Number(choice.depth) || offer.depths[0]!;
    return { custom: false, backend, m: offer.m, seed, widths: new Array<number>(depth).fill(offer.width), activation: (choice.activation as Activation) ?? 'relu', optimizer: 'sgd', rate, epochs: offer.epochs };
  }
  if (offer.experiment === 'saturation') {
    return { custom: false, backend, m: offer.m, seed, widths: new Array<number>(offer.depth).fill(offer.width), activation: offer.activation, optimizer: 'sgd', rate, epochs: offer.epochs };
  }
  const optimizer = offer.optimizers.find((o) => o.name === choice.optimizer) ?? offer.optimizers[0]!;
  const hidden = offer.model.kind === 'mlp' ? offer.model.hidden : [];
  const activation = offer.model.kind === 'mlp' ? offer.model.activation : 'relu';
  return { custom: false, backend, m: offer.m, seed, widths: hidden, activation, optimizer: optimizer.name, rate: Number.isFinite(rate) && rate > 0 ? rate : optimizer.rates[0]!, epochs: offer.epochs };
}

/** What a run trains and on which packs (names of src/pages/run/mnist/[pack].bin.ts). */
export interface Plan {
  type: 'trial' | 'curve';
  trial: TrialSpec & { epochs?: number };
  /** Your configuration's initialisation, when not the engine's (Glorot uniform). */
  init?: InitName;
  /** Either a precomputed training pack, or the pool to sample (m, seed) from. */
  train: { pack: string } | { pool: string; m: number; seed: number };
  test: string;
  /** The committed rows' key (fixed-epoch charts). */
  key?: string;
  /** In words: "Logistic regression, 100 images, seed 1". */
  words: string;
}

function specOf(config: RunConfig): ModelSpec {
  if (config.model === 'logistic') return { kind: 'logistic' };
  return { kind: 'mlp', hidden: config.widths ?? [], activation: config.activation ?? 'relu' };
}

function networkWords(config: RunConfig): string {
  if (config.model === 'logistic') return 'logistic regression';
  const widths = config.widths ?? [];
  return `network ${widths.join('-')} (${config.activation}${config.init && config.init !== 'glorot-uniform' ? `, ${INITS.find((i) => i.value === config.init)?.label ?? config.init} init` : ''})`;
}

const optimizerWords = (name: string | undefined) => OPTIMIZERS.find((o) => o.value === name)?.label ?? String(name);

export function planRun(offer: Offer, config: RunConfig): Plan {
  const packFor = (m: number, seed: number, sizes: number[], seeds: number[]) =>
    sizes.includes(m) && seeds.includes(seed) ? { pack: `train-m${m}-seed${seed}` } : { pool: `pool-${CUSTOM_POOL}`, m, seed };
  const test = `test-${offer.testSize}`;
  if (offer.kind === 'trial') {
    if (!config.custom) {
      const model = offer.models.find((m) => m.name === config.model) ?? offer.models[0]!;
      const base: TrialSpec = { model: model.name, spec: model.spec, optimizer: offer.optimizer, m: config.m, seed: config.seed, batchSize: offer.batchSize, stopping: offer.stopping, testSize: offer.testSize };
      // The setting tuning chose for this model and size, as our rows were trained with it.
      const setting = offer.settings[model.name]?.[config.m];
      return {
        type: 'trial',
        trial: setting ? withSetting(base, setting) : base,
        train: { pack: `train-m${config.m}-seed${config.seed}` },
        test,
        words: `${model.label}, ${count(config.m)} images, seed ${config.seed}`,
      };
    }
    return {
      type: 'trial',
      trial: { model: 'custom', spec: specOf(config), optimizer: { name: config.optimizer ?? 'adam', learningRate: config.rate ?? 1e-3 }, m: config.m, seed: config.seed, batchSize: offer.batchSize, stopping: offer.stopping, testSize: offer.testSize },
      init: config.init && config.init !== 'glorot-uniform' ? config.init : undefined,
      train: packFor(config.m, config.seed, offer.sizes, offer.seeds),
      test,
      words: `${networkWords(config)}, ${optimizerWords(config.optimizer)} at ${config.rate}, ${count(config.m)} images, seed ${config.seed}`,
    };
  }
  const widths = config.widths ?? [];
  const initName = offer.experiment === 'optimizers' ? 'optimizers' : `depth-${widths.length}`;
  const spec: ModelSpec = offer.experiment === 'optimizers' && !config.custom ? offer.model : specOf(config);
  const rate = config.rate ?? 0.1;
  const key = config.custom ? undefined : curveKey(offer.experiment, { activation: config.activation, depth: widths.length, optimizer: config.optimizer, rate, seed: config.seed });
  return {
    type: 'curve',
    trial: {
      model: initName,
      spec,
      optimizer: { name: config.optimizer ?? 'sgd', learningRate: rate },
      m: config.m,
      seed: config.seed,
      batchSize: offer.batchSize,
      // Unused by a fixed-epoch run (it validates after every epoch and never stops early but on divergence).
      stopping: { roundSteps: 1, patience: 1, maxRounds: 1, minDelta: 0 },
      testSize: offer.testSize,
      epochs: config.epochs ?? offer.epochs,
    },
    init: config.custom && config.init && config.init !== 'glorot-uniform' ? config.init : undefined,
    train: config.custom ? packFor(config.m, config.seed, [offer.m], offer.seeds) : { pack: `train-m${offer.m}-seed${config.seed}` },
    test,
    key,
    words: `${networkWords(config)}, ${optimizerWords(config.optimizer)} at ${rate}, ${count(config.m)} images, ${config.epochs ?? offer.epochs} epochs, seed ${config.seed}`,
  };
}

const logDistance = (a: number, b: number) => Math.abs(Math.log(Math.max(a, 1e-12) / Math.max(b, 1e-12)));
const nearestOf = (values: number[], x: number) => values.reduce((best, v) => (logDistance(v, x) < logDistance(best, x) ? v : best));

/** The precomputed configuration nearest to your configuration (named beside its result). */
export function nearestPrecomputed(offer: Offer, config: RunConfig): { config: RunConfig; words: string } {
  const seed = offer.seeds.includes(config.seed) ? config.seed : offer.seeds[0]!;
  if (offer.kind === 'trial') {
    const params = config.model === 'logistic' ? mlpParams([]) : mlpParams(config.widths ?? []);
    let best: { model: string; m: number; score: number } | undefined;
    for (const model of offer.models) {
      const m = nearestOf(offer.cells[model.name]!, config.m);
      const sameKind = (config.model === 'logistic') === (model.spec.kind === 'logistic');
      const score = logDistance(paramsOf(model.spec), params) + logDistance(m, config.m) + (sameKind ? 0 : 1);
      if (!best || score < best.score) best = { model: model.name, m, score };
    }
    const chosen: RunConfig = { custom: false, backend: 'wasm', model: best!.model, m: best!.m, seed };
    return { config: chosen, words: planRun(offer, chosen).words };
  }
  const depthOf = (c: RunConfig) => (c.widths ?? []).length;
  let chosen: RunConfig;
  if (offer.experiment === 'activations') {
    const depth = offer.depths.reduce((a, d) => (Math.abs(d - depthOf(config)) < Math.abs(a - depthOf(config)) ? d : a));
    chosen = precomputedConfig(offer, { activation: config.activation ?? 'relu', depth: String(depth), rate: String(nearestOf(offer.rates, config.rate ?? 0.1)), seed: String(seed) }, 'wasm');
  } else if (offer.experiment === 'saturation') {
    chosen = precomputedConfig(offer, { rate: String(nearestOf(offer.rates, config.rate ?? 1)), seed: String(seed) }, 'wasm');
  } else {
    const optimizer = offer.optimizers.find((o) => o.name === config.optimizer) ?? offer.optimizers[0]!;
    chosen = precomputedConfig(offer, { optimizer: optimizer.name, rate: String(nearestOf(optimizer.rates, config.rate ?? optimizer.rates[0]!)), seed: String(seed) }, 'wasm');
  }
  return { config: chosen, words: planRun(offer, chosen).words };
}
