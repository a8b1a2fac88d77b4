/**
 * Faster matrix products for the WebAssembly backend.
 *
 * The wasm backend's matMul kernels accept `transposeA`/`transposeB` flags, but their transposed
 * paths are far slower than the plain one (measured 12–36× for transposeA, 4–9× for transposeB),
 * and backpropagation through every dense layer uses both. Transposing explicitly first, with the
 * backend's own Transpose kernel, costs about one plain product. We register wrappers in place of
 * `BatchMatMul` and `_FusedMatMul` that do so, so every TensorFlow.js model (tfjs-layers included)
 * gets the speed-up without changing its code.
 */
import {
  BatchMatMul,
  _FusedMatMul,
  Transpose,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';
const patched = new WeakSet<KernelConfig>();

type Backend = { disposeData(dataId: object): boolean };

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return perm;
}

function explicitTransposes(original: KernelConfig, transpose: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const backend = args.backend as unknown as Backend;
    const inputs = { ...args.inputs } as Record<string, TensorInfo>;
    const temporaries: TensorInfo[] = [];
    for (const [name, flag] of [['a', attrs.transposeA], ['b', attrs.transposeB]] as const) {
      if (!flag) continue;
      const x = inputs[name]!;
      const t = transpose({ inputs: { x }, backend: args.backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as TensorInfo;
      inputs[name] = t;
      temporaries.push(t);
    }
    try {
      return original.kernelFunc({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
  // The original setupFunc binds the wasm function the kernel calls: it must be kept.
  const config: KernelConfig = { ...original, kernelFunc };
  patched.add(config);
  return config;
}

/** Replaces the wasm matMul kernels with explicit-transpose versions; safe to call more than once. */
export function registerFastWasmKernels(): void {
  const transpose = getKernel(Transpose, BACKEND)?.kernelFunc;
  if (!transpose) throw new Error('The wasm backend has no Transpose kernel: is @tensorflow/tfjs-backend-wasm imported?');
  for (const name of [BatchMatMul, _FusedMatMul]) {
    const original = getKernel(name, BACKEND);
    if (!original || patched.has(original)) continue;
    unregisterKernel(name, BACKEND);
    registerKernel(explicitTransposes(original, transpose));
  }
}
