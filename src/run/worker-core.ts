/**
 * The training worker of "Run it yourself": the engine's own code (experiments/lib) on the reader's
 * device, off the page's thread, so the page never freezes and a background tab keeps training
 * (a worker has no requestAnimationFrame to be throttled to zero).
 *
 * On WebAssembly it runs exactly as the Node engine does (experiments/lib/backend.ts): the stock wasm
 * backend, single-threaded with SIMD, plus the engine's kernels (wasm-kernels.ts) registered before the
 * backend initialises. Same code, same seed, same data: the same numbers as our committed rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerFastWasmKernels } from '../../experiments/lib/wasm-kernels.ts';
import { trainTrial } from '../../experiments/lib/protocol.ts';
import { buildModel, lossOf, modelInputs } from '../../experiments/lib/models.ts';
import { CLASSES, headOfSplit, type Split } from '../../experiments/lib/mnist.ts';
import { createRng, deriveSeed } from '../../experiments/lib/random.ts';
import { score, train } from '../../experiments/lib/train.ts';
import { decodePack, isGzip } from './pack.ts';
import type { EpochRecord, RunBackend, RunMessage, RunRequest } from './messages.ts';

const post = (message: RunMessage) => (self as unknown as Worker).postMessage(message);

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

/** WebAssembly SIMD, as the engine's wasm backend uses it: a module with one v128 instruction validates. */
export function hasWasmSimd(): boolean {
  // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe);
}

class DeviceError extends Error {
  constructor(readonly kind: 'no-simd' | 'no-backend', message: string) {
    super(message);
  }
}

let started: string | undefined;
async function startBackend(backend: RunBackend, wasmPaths: Record<string, string>): Promise<string> {
  if (started) return started;
  post({ type: 'phase', phase: 'starting the backend' });
  if (backend === 'wasm') {
    if (!hasWasmSimd()) {
      throw new DeviceError('no-simd', 'This browser has no WebAssembly SIMD, which the reproducible backend needs (Chrome 91+, Firefox 89+, Safari 16.4+).');
    }
    // Single-threaded, as in Node: threads need cross-origin isolation, and would not change the numbers
    // but would change the binary; the engine's rows were made with the SIMD binary.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(wasmPaths);
    // Before the backend initialises, so its setup binds our kernels too (as backend.ts does in Node).
    registerFastWasmKernels();
  } else {
    // WebGPU: faster where the browser has a GPU, but not the backend our rows were made on.
    if (!('gpu' in navigator)) throw new DeviceError('no-backend', 'This browser has no WebGPU.');
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!(await tf.setBackend(backend))) throw new DeviceError('no-backend', `The ${backend} backend could not start on this device.`);
  await tf.ready();
  return (started = backend === 'wasm' ? 'wasm (SIMD, 1 thread)' : 'webgpu');
}

async function run(request: RunRequest): Promise<void> {
  post({ type: 'phase', phase: 'loading data' });
  const backendPromise = startBackend(request.backend, request.wasmPaths);
  if (request.type === 'throughput') {
    const [trainSet, backend] = await Promise.all([fetchPack(request.packs.train), backendPromise]);
    post({ type: 'phase', phase: 'training' });
    const { trial } = request;
    // As the compute experiment measures throughput: one fixed batch, a warm-up, then timed steps.
    const model = buildModel(trial.spec, trial.optimizer, deriveSeed(trial.seed, 'init', trial.model));
    const inputs = await modelInputs(trial.spec, trainSet);
    const width = inputs.length / trainSet.count;
    const xs = tf.tensor2d(inputs.subarray(0, trial.batchSize * width), [trial.batchSize, width]);
    const ys = tf.oneHot(tf.tensor1d(Array.from(trainSet.labels.subarray(0, trial.batchSize)), 'int32'), CLASSES);
    for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys);
    const t0 = performance.now();
    for (let step = 1; step <= trial.steps; step++) {
      await model.trainOnBatch(xs, ys);
      post({ type: 'epoch', record: { epoch: step, trainLoss: Number.NaN, valLoss: Number.NaN, valAccuracy: Number.NaN } });
    }
    const samplesPerSecond = (trial.steps * trial.batchSize) / ((performance.now() - t0) / 1000);
    const params = model.countParams();
    tf.dispose([xs, ys]);
    model.dispose();
    post({ type: 'throughput-done', samplesPerSecond, steps: trial.steps, params, backend });
    return;
  }
  const [trainSet, validation, test, backend] = await Promise.all([
    fetchPack(request.packs.train),
    fetchPack(request.packs.validation),
    fetchPack(request.packs.test),
    backendPromise,
  ]);
  const { trial } = request;
  if (trainSet.count !== trial.m) throw new Error(`${request.packs.train}: ${trainSet.count} images, the run needs ${trial.m}.`);
  // Rows are scored on the first testSize test images (trial.ts: headOfSplit of the test set).
  const testSet = headOfSplit(test, trial.testSize);
  post({ type: 'phase', phase: 'training' });
  const validationInputs = await modelInputs(trial.spec, validation);
  const testInputs = await modelInputs(trial.spec, testSet);
  if (request.type === 'trial') {
    const outcome = await trainTrial(trial, trainSet, { validation, validationInputs, test: testSet, testInputs }, (round) => {
      post({ type: 'round', round });
    });
    const samplesPerSecond = outcome.trainSeconds > 0 ? (outcome.steps * Math.min(trial.batchSize, trial.m)) / outcome.trainSeconds : Number.NaN;
    post({ type: 'trial-done', outcome, backend, samplesPerSecond });
    return;
  }
  // A fixed number of epochs with validation after each (the activations experiment, sweep.ts).
  const model = buildModel(trial.spec, trial.optimizer, deriveSeed(trial.seed, 'init', trial.model));
  const inputs = await modelInputs(trial.spec, trainSet);
  const epochs: EpochRecord[] = [];
  const outcome = await train(model, trainSet, {
    epochs: request.trial.epochs,
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
  });
  const diverged = outcome.diverged || (epochs.length > 0 && !Number.isFinite(epochs.at(-1)!.valLoss));
  post({ type: 'phase', phase: 'scoring the test set' });
  const testAccuracy = diverged ? null : (await score(model, testSet, testInputs)).accuracy;
  model.dispose();
  post({ type: 'curve-done', epochs, testAccuracy, diverged, backend });
}

function isOutOfMemory(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.name} ${error.message}` : error);
  return error instanceof RangeError || /out of memory|Cannot enlarge memory|Array buffer allocation failed|OOM/i.test(text);
}

self.onmessage = (event: MessageEvent<RunRequest>) => {
  run(event.data).catch((error: unknown) => {
    if (error instanceof DeviceError) post({ type: 'error', kind: error.kind, message: error.message });
    else if (isOutOfMemory(error)) post({ type: 'error', kind: 'out-of-memory', message: 'This device ran out of memory for this run: try a smaller training set or model, or close other tabs.' });
    else post({ type: 'error', kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
};
