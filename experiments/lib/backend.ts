/**
 * Choosing where tensors are computed. `auto` takes the fastest backend that works here, in order:
 * native TensorFlow on a GPU (`@tensorflow/tfjs-node-gpu`), WebGPU through Dawn for Node (the `webgpu`
 * package, when it finds a GPU adapter: never a software one such as Mesa's lavapipe, which only
 * `--backend webgpu` takes, and records as software), native TensorFlow on the CPU (`@tensorflow/tfjs-node`),
 * WebAssembly, then plain JavaScript. The native packages are optional — their install downloads
 * libtensorflow, which fails without general internet — and their absence costs one line, not a crash.
 * Every result records the backend and why it was chosen.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// Gradients live apart from the ops in tfjs-core and training needs them registered. tfjs-layers
// registers them all, in its Node bundle and its ES module alike (a deep import of tfjs-core's own
// register_all_gradients is ES-module-only and does not load under plain Node).
import '@tensorflow/tfjs-layers';
import { describeAdapter, isSoftwareAdapter, type AdapterInfo } from './adapter.ts';
import type { BackendName } from './schema.ts';

// The software-adapter test is shared with the browser's "Run it yourself" (src/run/worker.ts).
export { describeAdapter, isSoftwareAdapter, type AdapterInfo };

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

/** Imports a backend's package; returns why it cannot be used, or undefined. `explicit`: named by --backend, not tried by auto. */
type Loader = (explicit: boolean) => Promise<string | undefined>;

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
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<{ info?: AdapterInfo; isFallbackAdapter?: boolean } | null>;
}

function hasVulkanLoader(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':'), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu'];
  return dirs.some((dir) => dir && existsSync(join(dir, 'libvulkan.so.1')));
}

export interface WebgpuProbe {
  /** An adapter exists and the tfjs WebGPU backend is installed: `--backend webgpu` can run. */
  available: boolean;
  /** The adapter is a software rasteriser on the CPU (a correctness path, never GPU figures). */
  software: boolean;
  /** The adapter in words ("software (lavapipe: …)" when software), or why there is none. */
  description: string;
}

let probed: Promise<WebgpuProbe> | undefined;
let dawnGpu: DawnGpu | undefined;

/**
 * Looks for a WebGPU adapter through Dawn for Node (the optional `webgpu` package) without choosing the
 * backend; once per process. Asks for the adapter the tfjs backend will ask for (high performance).
 */
export function probeWebgpu(): Promise<WebgpuProbe> {
  probed ??= (async (): Promise<WebgpuProbe> => {
    const absent = (description: string) => ({ available: false, software: false, description });
    // Without the Vulkan loader, Dawn would print its own multi-line warning; say it in one line.
    if (process.platform === 'linux' && !hasVulkanLoader()) return absent('WebGPU needs the Vulkan loader (libvulkan1) and a GPU driver; none here');
    const dawn = await optional<{ create(flags: string[]): DawnGpu; globals: object }>('webgpu').catch(() => undefined);
    if (!dawn) return absent('the webgpu package (Dawn for Node) is not installed or does not load here');
    Object.assign(globalThis, dawn.globals);
    let gpu: DawnGpu;
    try {
      gpu = dawn.create([]);
    } catch (error) {
      return absent(`the webgpu package (Dawn for Node) failed to start (${firstLine(error)})`);
    }
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    if (!adapter) return absent('WebGPU found no GPU adapter (no GPU, or no Vulkan driver that Dawn accepts)');
    try {
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-webgpu');
    } catch {
      return absent('@tensorflow/tfjs-backend-webgpu is not installed');
    }
    dawnGpu = gpu;
    const info: AdapterInfo = { ...pick(adapter.info), isFallbackAdapter: adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter };
    return { available: true, software: isSoftwareAdapter(info), description: describeAdapter(info) };
  })();
  return probed;
}

/** The plain fields of a GPUAdapterInfo (a native object whose properties live on its prototype). */
function pick(info: AdapterInfo | undefined): AdapterInfo {
  if (!info) return {};
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
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
  async webgpu(explicit) {
    const probe = await probeWebgpu();
    if (!probe.available) return probe.description;
    // A software adapter is correct but slower than WebAssembly, and its figures are no GPU's.
    if (probe.software && !explicit) return `WebGPU adapter is ${probe.description}: auto never uses a software adapter (--backend webgpu does)`;
    // tfjs-backend-webgpu registers itself only if navigator.gpu exists when it is imported.
    Object.defineProperty(globalThis.navigator, 'gpu', { value: dawnGpu, configurable: true });
    if (!(await optional('@tensorflow/tfjs-backend-webgpu'))) return '@tensorflow/tfjs-backend-webgpu is not installed';
    gpuName = probe.description;
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

/** The WebGPU adapter in words, once the webgpu backend has been loaded. */
let gpuName: string | null = null;
/** The GPU the named backend runs on, when it runs on one (recorded in provenance; "software (…)" for a software adapter). */
export function backendGpu(backend: BackendName): string | null {
  if (backend === 'webgpu') return gpuName;
  return backend === 'tensorflow' && nativeFlavour === 'gpu' ? 'CUDA GPU (tfjs-node-gpu)' : null;
}

async function activate(candidate: (typeof AUTO_ORDER)[number], explicit = false): Promise<string | undefined> {
  const missing = await loaders[candidate](explicit);
  if (missing) return missing;
  const name: BackendName = candidate === 'tensorflow-gpu' ? 'tensorflow' : candidate;
  const before = processErrorListeners();
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `the ${name} backend failed to initialise`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return `the ${name} backend failed to initialise (${firstLine(error)})`;
  } finally {
    removeListenersAddedSince(before);
  }
}

/**
 * The wasm backend's emscripten glue installs process-wide `uncaughtException` and `unhandledRejection`
 * listeners that rethrow (its own clean-up never removes them: its filter is always empty). A listener
 * that throws makes Node print the source line of the throw — the whole minified module, tens of
 * kilobytes on one line — before the error, and exit with code 7. A backend has no business deciding
 * how this process reports its errors, so activate() takes off whatever listeners initialising one added.
 */
type ErrorListeners = ReturnType<typeof processErrorListeners>;

function processErrorListeners() {
  return { uncaughtException: process.listeners('uncaughtException'), unhandledRejection: process.listeners('unhandledRejection') };
}

function removeListenersAddedSince(before: ErrorListeners): void {
  for (const listener of process.listeners('uncaughtException')) {
    if (!before.uncaughtException.includes(listener)) process.removeListener('uncaughtException', listener);
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!before.unhandledRejection.includes(listener)) process.removeListener('unhandledRejection', listener);
  }
}

export async function selectBackend(request: BackendRequest): Promise<BackendChoice> {
  if (request !== 'auto') {
    // --backend tensorflow takes the GPU build when it is installed, else the CPU one.
    const problem = request === 'tensorflow' ? (await activate('tensorflow-gpu', true)) && (await activate('tensorflow', true)) : await activate(request, true);
    if (problem) throw new BackendError(`--backend ${request} is not available: ${problem}.`);
    const probe = request === 'webgpu' ? await probeWebgpu() : undefined;
    const on = probe?.software ? ` on a software adapter, not a GPU: ${probe.description}` : '';
    return { name: request, reason: `requested with --backend ${request}${on}`, skipped: [] };
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
