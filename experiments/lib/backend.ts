/**
 * Choosing where tensors are computed. `auto` takes the fastest backend that works here, in order:
 * native TensorFlow on a GPU (`@tensorflow/tfjs-node-gpu`), WebGPU through Dawn for Node (the `webgpu`
 * package, when it finds a GPU adapter), native TensorFlow on the CPU (`@tensorflow/tfjs-node`),
 * WebAssembly, then plain JavaScript. The native packages are optional — their install downloads
 * libtensorflow, which fails without general internet — and their absence costs one line, not a crash.
 * Every result records the backend and why it was chosen.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// Gradients live apart from the ops in tfjs-core and training needs them registered. tfjs-layers
// registers them all, in its Node bundle and its ES module alike (a deep import of tfjs-core's own
// register_all_gradients is ES-module-only and does not load under plain Node).
import '@tensorflow/tfjs-layers';
import type { BackendName } from './schema.ts';

export type BackendRequest = BackendName | 'auto';

export interface BackendChoice {
  name: BackendName;
  reason: string;
  /** One line per backend that was tried and not used, for the progress display. */
  skipped: string[];
}

export class BackendError extends Error {
  override name = 'BackendError';
}

type Loader = () => Promise<string | undefined>;

/** Imports an optional package; undefined when it is simply not installed. */
async function optional<T>(name: string): Promise<T | undefined> {
  try {
    // A variable specifier keeps bundlers and type-checkers from requiring the optional package.
    return (await import(/* @vite-ignore */ name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** Loads a native TensorFlow package (both register the backend named 'tensorflow'). */
async function nativeTensorFlow(pkg: string): Promise<string | undefined> {
  try {
    return (await optional(pkg)) ? undefined : `${pkg} is not installed`;
  } catch (error) {
    return `${pkg} failed to load (${firstLine(error)})`;
  }
}

/** The parts of Dawn's `navigator.gpu` we touch (the full WebGPU types are not a dependency). */
interface DawnGpu {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

function hasVulkanLoader(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':'), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu'];
  return dirs.some((dir) => dir && existsSync(join(dir, 'libvulkan.so.1')));
}

/** Which native package provided the 'tensorflow' backend, for provenance. */
let nativeFlavour: 'gpu' | 'cpu' | undefined;

/** Each loader imports the backend's package and returns why it cannot be used, or undefined when it can. */
const loaders: Record<BackendName | 'tensorflow-gpu', Loader> = {
  async 'tensorflow-gpu'() {
    const problem = await nativeTensorFlow('@tensorflow/tfjs-node-gpu');
    if (!problem) nativeFlavour = 'gpu';
    return problem;
  },
  async webgpu() {
    // Without the Vulkan loader, Dawn would print its own multi-line warning; say it in one line.
    if (process.platform === 'linux' && !hasVulkanLoader()) return 'WebGPU needs the Vulkan loader (libvulkan1) and a GPU driver; none here';
    const dawn = await optional<{ create(flags: string[]): DawnGpu; globals: object }>('webgpu').catch(() => undefined);
    if (!dawn) return 'the webgpu package (Dawn for Node) is not installed or does not load here';
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'WebGPU found no GPU adapter (no GPU, or no Vulkan driver that Dawn accepts)';
    Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
    if (!(await optional('@tensorflow/tfjs-backend-webgpu'))) return '@tensorflow/tfjs-backend-webgpu is not installed';
    gpuName = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' ') || 'WebGPU adapter';
    return undefined;
  },
  async tensorflow() {
    const problem = await nativeTensorFlow('@tensorflow/tfjs-node');
    if (!problem) nativeFlavour ??= 'cpu';
    return problem;
  },
  async wasm() {
    await import('@tensorflow/tfjs-backend-wasm');
    // Before the backend initialises, so its setup binds our kernels too.
    const { registerFastWasmKernels } = await import('./wasm-kernels.ts');
    registerFastWasmKernels();
    return undefined;
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
    return undefined;
  },
};

const AUTO_ORDER = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** The GPU a backend runs on, when it runs on one (recorded in provenance). */
let gpuName: string | null = null;
export function backendGpu(): string | null {
  return gpuName ?? (nativeFlavour === 'gpu' ? 'CUDA GPU (tfjs-node-gpu)' : null);
}

async function activate(candidate: (typeof AUTO_ORDER)[number]): Promise<string | undefined> {
  const missing = await loaders[candidate]();
  if (missing) return missing;
  const name: BackendName = candidate === 'tensorflow-gpu' ? 'tensorflow' : candidate;
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `the ${name} backend failed to initialise`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return `the ${name} backend failed to initialise (${firstLine(error)})`;
  }
}

export async function selectBackend(request: BackendRequest): Promise<BackendChoice> {
  if (request !== 'auto') {
    // --backend tensorflow takes the GPU build when it is installed, else the CPU one.
    const problem = request === 'tensorflow' ? (await activate('tensorflow-gpu')) && (await activate('tensorflow')) : await activate(request);
    if (problem) throw new BackendError(`--backend ${request} is not available: ${problem}.`);
    return { name: request, reason: `requested with --backend ${request}`, skipped: [] };
  }
  const skipped: string[] = [];
  for (const candidate of AUTO_ORDER) {
    const problem = await activate(candidate);
    const name: BackendName = candidate === 'tensorflow-gpu' ? 'tensorflow' : candidate;
    if (!problem) {
      const reason = skipped.length
        ? `auto: fastest available (${skipped.join('; ')})`
        : 'auto: fastest available';
      return { name, reason, skipped };
    }
    skipped.push(problem);
  }
  throw new BackendError(`No TensorFlow.js backend could be initialised: ${skipped.join('; ')}.`);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 160);
}
