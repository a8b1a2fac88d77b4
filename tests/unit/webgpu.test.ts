/**
 * The GPU path, tested without a GPU: WebGPU (tfjs-backend-webgpu on Dawn for Node) trains the smoke
 * configuration through the real engine and matches WebAssembly. On a CPU-only machine the adapter is
 * Mesa's software Vulkan driver (lavapipe), which .ci/run installs; where no adapter exists at all the
 * WebGPU tests are skipped and their title says why.
 *
 * Tolerance, from measurement (lavapipe, Mesa 25.0.7, against wasm on the same machine): on this grid under
 * the training protocol every accuracy (train, validation, test), kept epoch and step count was
 * identical, and losses differed by at most 8.1e-7 (validation) and 3.3e-7 (training): float32
 * summation order. The CNN check: identical accuracy, losses within 2.4e-7, weights within 2.2e-6.
 * Before the protocol, 58 smoke rows of scale, small-data and model-size and 8 CNN and 512-512 rows
 * were all identical in accuracy too. Allowed here: 0.003 of accuracy (3 test images in 1,000, for a
 * GPU whose float order differs more), 1e-5 of loss (over 10× the largest difference seen) and 1e-4 of
 * a weight; a wrong kernel moves them by orders of magnitude more.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter, probeWebgpu, selectBackend } from '../../experiments/lib/backend.ts';
import type { AnyExperiment } from '../../experiments/lib/experiment.ts';
import { CLASSES, headOfSplit, loadMnist, PIXELS, toFloatPixels } from '../../experiments/lib/mnist.ts';
import { buildModel } from '../../experiments/lib/models.ts';
import { runExperiment } from '../../experiments/lib/runner.ts';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { score } from '../../experiments/lib/train.ts';
import { MODELS } from '../../experiments/lib/zoo.ts';
import { scale } from '../../experiments/suite/scale.ts';

const ACCURACY_TOLERANCE = 0.003;
const LOSS_TOLERANCE = 1e-5;
const WEIGHT_TOLERANCE = 1e-4;

const probe = await probeWebgpu();

describe('software adapters are recognised from what WebGPU reports', () => {
  it('lavapipe, SwiftShader and WARP are software; GPUs are not', () => {
    // As Dawn reports Mesa 25's lavapipe on these machines.
    const lavapipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', isFallbackAdapter: true };
    expect(isSoftwareAdapter(lavapipe)).toBe(true);
    expect(describeAdapter(lavapipe)).toBe('software (lavapipe: llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1)');
    // Each sign alone is enough.
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'someone', architecture: 'software' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'someone', isFallbackAdapter: true })).toBe(true);
    const gpu = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3', isFallbackAdapter: false };
    expect(isSoftwareAdapter(gpu)).toBe(false);
    expect(describeAdapter(gpu)).toBe('NVIDIA H100 80GB HBM3');
    expect(isSoftwareAdapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900 XTX (RADV NAVI31)' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770 (ADL-S GT1)' })).toBe(false);
  });
});

describe.skipIf(!probe.available)(`WebGPU against WebAssembly (${probe.available ? probe.description : `skipped: ${probe.description}`})`, () => {
  // Scale's smoke profile (the real protocol: validation set, stopping rule, test scored once) on a
  // grid small enough for a software adapter: logistic regression, linear SVM, small network, untuned
  // (the backends are compared, not the tuning: six plain trials).
  const grid: AnyExperiment = {
    ...scale,
    configs: { ...scale.configs, smoke: { ...scale.configs.smoke, models: [MODELS.logistic, MODELS.svm, MODELS.small], sizes: [100, 200], seeds: [1], tuning: undefined, practitioner: undefined } },
  };
  let onWebgpu: ResultFile;
  let onWasm: ResultFile;

  beforeAll(async () => {
    // On WebGPU in two worker processes, each opening its own device (the path a real run takes).
    onWebgpu = await runExperiment(grid, { profile: 'smoke', backend: await selectBackend('webgpu'), jobs: 2 });
    onWasm = await runExperiment(grid, { profile: 'smoke', backend: await selectBackend('wasm') });
  }, 600_000);

  it('trains the smoke grid to the same rows as WebAssembly, within the measured tolerance', () => {
    expect(onWebgpu.provenance.backend).toBe('webgpu');
    expect(onWasm.provenance.backend).toBe('wasm');
    expect(onWebgpu.rows).toHaveLength(6);
    expect(onWebgpu.rows.length).toBe(onWasm.rows.length);
    onWebgpu.rows.forEach((row, i) => {
      const reference = onWasm.rows[i]!;
      const where = `${String(reference.model)} m=${String(reference.m)} seed=${String(reference.seed)}`;
      expect(reference.diverged, where).toBe(false);
      // Same cells and fields; counts and decisions (kept epoch, epochs run, steps) equal; measurements within the tolerance.
      expect(Object.keys(row).sort(), where).toEqual(Object.keys(reference).sort());
      for (const [field, value] of Object.entries(reference)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) expect(row[field], `${where}: ${field}`).toEqual(value);
        else if (/Accuracy$|Error$/.test(field)) expect(Math.abs((row[field] as number) - value), `${where}: ${field}`).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
        else if (/Loss$/.test(field)) expect(Math.abs((row[field] as number) - value), `${where}: ${field}`).toBeLessThanOrEqual(LOSS_TOLERANCE);
        else expect(row[field], `${where}: ${field}`).toBe(value);
      }
    });
    expect(Object.keys(onWebgpu.summary).sort()).toEqual(Object.keys(onWasm.summary).sort());
  });

  it('trains a convolutional network (convolution, max-pooling and their gradients) as WebAssembly does', async () => {
    // The grid has no convolution, and a software adapter runs one too slowly for the full protocol:
    // three Adam steps of the LeNet-style CNN on 32 images, then the engine's scoring.
    const data = headOfSplit(loadMnist().train, 32);
    const trainCnn = async (backend: 'webgpu' | 'wasm') => {
      await selectBackend(backend);
      const model = buildModel(MODELS.cnn.spec, { name: 'adam', learningRate: 1e-3 }, 7);
      const xs = tf.tensor2d(toFloatPixels(data), [data.count, PIXELS]);
      const ys = tf.oneHot(tf.tensor1d(Array.from(data.labels), 'int32'), CLASSES);
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) losses.push((await model.trainOnBatch(xs, ys)) as number);
      const scores = await score(model, data);
      const weights = await Promise.all(model.getWeights().map((w) => w.data()));
      tf.dispose([xs, ys]);
      model.dispose();
      return { losses, scores, weights };
    };
    const gpu = await trainCnn('webgpu');
    const cpu = await trainCnn('wasm');
    gpu.losses.forEach((loss, step) => expect(Math.abs(loss - cpu.losses[step]!), `loss at step ${step + 1}`).toBeLessThanOrEqual(LOSS_TOLERANCE));
    expect(cpu.losses[2]!).toBeLessThan(cpu.losses[0]!);
    expect(Math.abs(gpu.scores.accuracy - cpu.scores.accuracy)).toBeLessThanOrEqual(1 / data.count);
    expect(Math.abs(gpu.scores.loss - cpu.scores.loss)).toBeLessThanOrEqual(LOSS_TOLERANCE);
    const largest = Math.max(...gpu.weights.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - cpu.weights[i]![j]!)))));
    expect(largest).toBeLessThanOrEqual(WEIGHT_TOLERANCE);
  }, 600_000);

  it('records the adapter in the provenance, as software when it is one, so its figures never pass for a GPU', async () => {
    expect(onWebgpu.provenance.gpu).toBe(probe.description);
    expect(onWasm.provenance.gpu).toBeNull();
    if (probe.software) {
      expect(onWebgpu.provenance.gpu).toMatch(/^software \(/);
      expect(onWebgpu.provenance.backendReason).toMatch(/^requested with --backend webgpu on a software adapter, not a GPU: software \(/);
      // And auto, on the same machine, passes it over for WebAssembly, saying why.
      const auto = await selectBackend('auto');
      expect(auto.name).not.toBe('webgpu');
      expect(auto.skipped).toContain(`WebGPU adapter is ${probe.description}: auto never uses a software adapter (--backend webgpu does)`);
    } else {
      expect(onWebgpu.provenance.gpu).not.toMatch(/software/i);
    }
  });
});
