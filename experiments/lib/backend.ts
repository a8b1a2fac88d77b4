/**
 * Choosing where tensors are computed. `auto` takes the fastest backend that works here, in order:
 * native TensorFlow (`@tensorflow/tfjs-node`, optional: its install downloads libtensorflow, which
 * fails on machines without general internet), WebAssembly, then plain JavaScript.
 * Every result records the backend and why it was chosen.
 */
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

/** Each loader imports the backend's package and returns why it cannot be used, or undefined when it can. */
const loaders: Record<BackendName, Loader> = {
  async tensorflow() {
    try {
      // A variable specifier keeps bundlers and type-checkers from requiring the optional package.
      const pkg = '@tensorflow/tfjs-node';
      await import(/* @vite-ignore */ pkg);
      return undefined;
    } catch (error) {
      return `@tensorflow/tfjs-node is not installed (${firstLine(error)})`;
    }
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

const AUTO_ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

async function activate(name: BackendName): Promise<string | undefined> {
  const missing = await loaders[name]();
  if (missing) return missing;
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
    const problem = await activate(request);
    if (problem) throw new BackendError(`--backend ${request} is not available: ${problem}.`);
    return { name: request, reason: `requested with --backend ${request}`, skipped: [] };
  }
  const skipped: string[] = [];
  for (const name of AUTO_ORDER) {
    const problem = await activate(name);
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
