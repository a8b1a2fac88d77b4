/**
 * The training worker behind "Run it yourself": it receives one request (src/run/messages.ts), fetches
 * the MNIST pack(s), trains with the engine's own code (experiments/lib) and posts progress and the
 * result. It runs off the main thread, so the page stays responsive, and it keeps training in a
 * background tab (a worker has no requestAnimationFrame to be throttled to zero).
 *
 * One worker per backend, each its own bundle (worker.ts: WebAssembly; worker-webgpu.ts; worker-webgl.ts),
 * so that a reader fetches only the backend a run uses, and only when they press Run: the site's workers
 * are built as classic scripts, in which a dynamic import() is inlined rather than split off. This
 * module is what they share; each entry passes the function that starts its backend.
 *
 * On WebAssembly it runs exactly as the Node engine does (experiments/lib/backend.ts): same code, same
 * seed, same data, the same numbers as our committed rows. The GPU backends are not bit-identical (their
 * kernels round differently), and may fail in ways WebAssembly does not: a missing adapter, a kernel
 * that fails, a device lost mid-run; each is reported as its own error kind, for the page to fall back.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { trainTrialWithModel, type ConvergenceOptions, type EvaluationSets, type TrialOutcome, type TrialSpec } from '../../experiments/lib/protocol.ts';
import { buildModel, lossOf, modelInputs, type ModelSpec } from '../../experiments/lib/models.ts';
import { CLASSES, headOfSplit, PIXELS, sampleSplit, type Split } from '../../experiments/lib/split.ts';
import { createRng, deriveSeed } from '../../experiments/lib/random.ts';
import { score, train } from '../../experiments/lib/train.ts';
import { decodePack, isGzip } from './pack.ts';
import type { AdapterReport, EpochRecord, ErrorKind, RunMessage, RunRequest, TestHooks } from './messages.ts';
import type { InitName } from './plan.ts';
import { shouldContinue, steadyState } from './steady.ts';

export const post = (message: RunMessage) => (self as unknown as Worker).postMessage(message);

async function fetchPack(url: string): Promise<Split> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (isGzip(bytes)) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return decodePack(bytes, url);
}

/** A failure of the device or its backend, reported as its own kind (the page falls back on it). */
export class DeviceError extends Error {
  constructor(
    readonly kind: Exclude<ErrorKind, 'failed' | 'out-of-memory'>,
    message: string,
  ) {
    super(message);
  }
}

/** A started backend: its name in words, its adapter, and how the worker learns that its device was lost. */
export interface StartedBackend {
  name: string;
  adapter: AdapterReport | null;
  /** Calls back once, with why, if the device goes away (WebGPU device lost, WebGL context lost). */
  onLost?: (callback: (why: string) => void) => void;
  /** Loses the device now (the test hook `loseAfterSteps`). */
  loseNow?: () => void;
}

/** The requests that start a backend (the others ask a worker that has already trained). */
export type StartRequest = Exclude<RunRequest, { type: 'predict' | 'test-images' }>;

export type BackendStarter = (request: StartRequest) => Promise<StartedBackend>;

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}

/**
 * A GPU backend's first kernel: a 2×2 matrix product whose answer is known. A backend that throws here or
 * gets it wrong (a broken driver, a shader that does not compile) is reported before any timing.
 */
export async function checkFirstKernel(name: string, hooks: TestHooks | undefined): Promise<void> {
  try {
    if (hooks?.failFirstKernel) throw new Error('failure injected by the page\'s test hook');
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
    const values = Array.from(await product.data());
    product.dispose();
    if (values.join() !== '19,22,43,50') throw new Error(`a 2×2 matrix product gave ${values.join(', ')} instead of 19, 22, 43, 50`);
  } catch (error) {
    throw new DeviceError('kernel-failed', `The ${name} backend failed its first computation (${firstLine(error)}).`);
  }
}

let started: Promise<StartedBackend> | undefined;
/** Why the device was lost, once it was; and the promise that rejects then, raced against every step. */
let lostWhy: string | undefined;
let rejectLost: (error: DeviceError) => void = () => {};
const lost = new Promise<never>((_, reject) => (rejectLost = reject));
lost.catch(() => {});

function startBackend(starter: BackendStarter, request: StartRequest): Promise<StartedBackend> {
  started ??= (async () => {
    post({ type: 'phase', phase: 'starting the backend' });
    const backend = await starter(request);
    backend.onLost?.((why) => {
      lostWhy ??= why;
      rejectLost(new DeviceError('lost', lostWhy));
    });
    post({ type: 'backend-ready', backend: backend.name, adapter: backend.adapter });
    return backend;
  })();
  return started;
}

/** A step, unless the device is lost first. */
function guarded<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, lost]);
}

/**
 * The compute chart's measurement: each model trained on one fixed batch, as the compute experiment
 * does (experiments/suite/compute.ts), with its first step (shader compilation, allocation) timed
 * apart and steady steps until their rate settles (src/run/steady.ts).
 */
async function measure(request: Extract<RunRequest, { type: 'measure' }>, trainSet: Split, backend: StartedBackend): Promise<void> {
  post({ type: 'phase', phase: 'training' });
  for (const named of request.models) {
    const model = buildModel(named.spec, request.optimizer, deriveSeed(request.seed, 'init', named.name));
    const inputs = await modelInputs(named.spec, trainSet);
    const width = inputs.length / trainSet.count;
    const xs = tf.tensor2d(inputs.subarray(0, request.batchSize * width), [request.batchSize, width]);
    const ys = tf.oneHot(tf.tensor1d(Array.from(trainSet.labels.subarray(0, request.batchSize)), 'int32'), CLASSES);
    post({ type: 'step', model: named.name, step: 0, warmup: true });
    let t0 = performance.now();
    await guarded(model.trainOnBatch(xs, ys));
    const warmupSeconds = (performance.now() - t0) / 1000;
    const stepMs: number[] = [];
    do {
      t0 = performance.now();
      await guarded(model.trainOnBatch(xs, ys));
      stepMs.push(performance.now() - t0);
      post({ type: 'step', model: named.name, step: stepMs.length, warmup: false });
      if (request.hooks?.loseAfterSteps === stepMs.length) backend.loseNow?.();
    } while (shouldContinue(stepMs, request.rule));
    const params = model.countParams();
    tf.dispose([xs, ys]);
    model.dispose();
    post({ type: 'measured', model: named.name, warmupSeconds, steady: steadyState(stepMs, request.batchSize, request.rule), params });
  }
  post({ type: 'measure-done', backend: backend.name });
}

/** The model of the last finished run, kept for "Try the model", with its test images. */
let kept: { model: tfl.LayersModel; spec: ModelSpec; test: Split } | undefined;

/**
 * Your configuration's initialisation: every kernel drawn again from `init`, seeded per layer as
 * buildModel seeds Glorot's (deriveSeed(seed, 'kernel', layer)); biases stay zero.
 */
function reinitialise(model: tfl.LayersModel, init: InitName, seed: number): void {
  let layer = 0;
  for (const l of model.layers) {
    const weights = l.getWeights();
    if (weights.length === 0) continue;
    const layerSeed = deriveSeed(seed, 'kernel', layer++);
    const initializer =
      init === 'he-normal' ? tfl.initializers.heNormal({ seed: layerSeed }) : init === 'small-normal' ? tfl.initializers.randomNormal({ mean: 0, stddev: 0.01, seed: layerSeed }) : tfl.initializers.glorotUniform({ seed: layerSeed });
    const fresh = initializer.apply(weights[0]!.shape);
    l.setWeights([fresh, ...weights.slice(1)]);
    fresh.dispose();
  }
}

/**
 * One trial by the engine's own protocol, its model kept so that the reader can try it. Your
 * configuration's initialiser, if any, re-draws the fresh model's weights before training.
 */
async function runTrial(trial: TrialSpec, trainSet: Split, sets: EvaluationSets, init: InitName | undefined, onRound: ConvergenceOptions['onRound']): Promise<{ outcome: TrialOutcome; model: tfl.LayersModel | undefined }> {
  return trainTrialWithModel(trial, trainSet, sets, { onRound, prepare: init ? (model, initSeed) => reinitialise(model, init, initSeed) : undefined });
}

function keep(model: tfl.LayersModel | undefined, spec: ModelSpec, test: Split): void {
  kept?.model.dispose();
  kept = model ? { model, spec, test } : undefined;
}

/** The kept model's ten probabilities for each image. */
async function predict(images: Uint8Array, count: number): Promise<number[][]> {
  if (!kept) throw new Error('No trained model to try: run a configuration first.');
  const inputs = await modelInputs(kept.spec, { images, labels: new Uint8Array(count), count });
  const out = tf.tidy(() => kept!.model.predict(tf.tensor2d(inputs, [count, inputs.length / count])) as tf.Tensor2D);
  const values = Array.from(await out.data());
  out.dispose();
  return Array.from({ length: count }, (_, i) => values.slice(i * CLASSES, (i + 1) * CLASSES));
}

async function run(starter: BackendStarter, request: RunRequest): Promise<void> {
  if (request.type === 'predict') {
    post({ type: 'prediction', id: request.id, probabilities: await predict(request.images, request.count) });
    return;
  }
  if (request.type === 'test-images') {
    if (!kept) throw new Error('No trained model to try: run a configuration first.');
    const test = headOfSplit(kept.test, Math.min(request.count, kept.test.count));
    post({ type: 'test-images', images: test.images.slice(0, test.count * PIXELS), labels: Array.from(test.labels) });
    return;
  }
  post({ type: 'phase', phase: 'loading data' });
  if (request.type === 'measure') {
    const [trainSet, backend] = await Promise.all([fetchPack(request.packs.train), startBackend(starter, request)]);
    await measure(request, trainSet, backend);
    return;
  }
  const backendPromise = startBackend(starter, request).then((b) => b.name);
  const [trainPack, validation, test, backend] = await Promise.all([
    fetchPack(request.packs.train),
    fetchPack(request.packs.validation),
    fetchPack(request.packs.test),
    backendPromise,
  ]);
  const { trial } = request;
  // Your configuration's training set: drawn from the pool pack as the engine draws a trial's subset
  // from the whole pool (trial.ts: sampleSplit seeded by seed and m).
  const trainSet = request.sample
    ? sampleSplit(trainPack, request.sample.m, createRng(deriveSeed(request.sample.seed, 'sample', request.sample.m)), `${request.packs.train} (the pool your configuration draws from)`)
    : trainPack;
  if (trainSet.count !== trial.m) throw new Error(`${request.packs.train}: ${trainSet.count} images, the run needs ${trial.m}.`);
  // Rows are scored on the first testSize test images (trial.ts: headOfSplit of the test set).
  const testSet = headOfSplit(test, trial.testSize);
  post({ type: 'phase', phase: 'training' });
  const validationInputs = await modelInputs(trial.spec, validation);
  const testInputs = await modelInputs(trial.spec, testSet);
  if (request.type === 'trial') {
    const { outcome, model } = await guarded(runTrial(trial, trainSet, { validation, validationInputs, test: testSet, testInputs }, request.init, (round) => {
      post({ type: 'round', round });
    }));
    keep(model, trial.spec, testSet);
    const samplesPerSecond = outcome.trainSeconds > 0 ? (outcome.steps * Math.min(trial.batchSize, trial.m)) / outcome.trainSeconds : Number.NaN;
    post({ type: 'trial-done', outcome, backend, samplesPerSecond });
    return;
  }
  // A fixed number of epochs with validation after each (the activations experiment, sweep.ts).
  const initSeed = deriveSeed(trial.seed, 'init', trial.model);
  const model = buildModel(trial.spec, trial.optimizer, initSeed);
  if (request.init) reinitialise(model, request.init, initSeed);
  const inputs = await modelInputs(trial.spec, trainSet);
  const epochs: EpochRecord[] = [];
  const outcome = await guarded(train(model, trainSet, {
    epochs: request.testEpochs ? Math.min(request.testEpochs, request.trial.epochs) : request.trial.epochs,
    batchSize: trial.batchSize,
    rng: createRng(deriveSeed(trial.seed, 'batches', trainSet.count)),
    inputs,
    onEpoch: async (epoch, trainLoss) => {
      const scores = await score(model, validation, validationInputs, lossOf(trial.spec));
      const record = { epoch, trainLoss, valLoss: scores.loss, valAccuracy: scores.accuracy };
      epochs.push(record);
      post({ type: 'epoch', record });
      return Number.isFinite(scores.loss) ? undefined : 'stop';
    },
  }));
  const diverged = outcome.diverged || (epochs.length > 0 && !Number.isFinite(epochs.at(-1)!.valLoss));
  post({ type: 'phase', phase: 'scoring the test set' });
  const testAccuracy = diverged ? null : (await score(model, testSet, testInputs)).accuracy;
  keep(diverged ? (model.dispose(), undefined) : model, trial.spec, testSet);
  post({ type: 'curve-done', epochs, testAccuracy, diverged, backend });
}

function isOutOfMemory(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.name} ${error.message}` : error);
  return error instanceof RangeError || /out of memory|Cannot enlarge memory|Array buffer allocation failed|OOM/i.test(text);
}

/** Answers the page's request with the backend `starter` starts (each worker entry calls this once). */
export function serve(starter: BackendStarter): void {
  self.onmessage = (event: MessageEvent<RunRequest>) => {
    run(starter, event.data).catch(async (error: unknown) => {
      // A lost device often shows first as a failing kernel: give its own event a moment to arrive.
      if (!(error instanceof DeviceError) && started) await new Promise((resolve) => setTimeout(resolve, 100));
      if (lostWhy !== undefined) post({ type: 'error', kind: 'lost', message: lostWhy });
      else if (error instanceof DeviceError) post({ type: 'error', kind: error.kind, message: error.message });
      else if (isOutOfMemory(error)) post({ type: 'error', kind: 'out-of-memory', message: 'This device ran out of memory for this run: try a smaller training set or model, or close other tabs.' });
      else post({ type: 'error', kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
  };
}
