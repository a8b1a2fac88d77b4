/**
 * Faster matrix products for the WebAssembly backend.
 *
 * The wasm backend's matMul kernels accept `transposeA`/`transposeB` flags, but their transposed
 * paths are far slower than the plain one (measured 12–36× for transposeA, 4–9× for transposeB),
 * and backpropagation through every dense layer uses both. Transposing explicitly first, with the
 * backend's own Transpose kernel, costs about one plain product. We register wrappers in place of
 * `BatchMatMul` and `_FusedMatMul` that do so, so every TensorFlow.js model (tfjs-layers included)
 * gets the speed-up without changing its code.
 *
 * The wasm backend also lacks `Conv2DBackpropFilter`, so no CNN can train on it. We add it: the filter
 * gradient of a convolution is itself a convolution — of the (padded) input with the output gradient
 * used as the filter, batch and channel axes swapped, dilated by the forward stride — which the
 * backend's fast Conv2D kernel computes.
 */
import {
  backend_util,
  BatchMatMul,
  Conv2D,
  Conv2DBackpropFilter,
  PadV2,
  Slice,
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

/** Calls other wasm kernels from inside a kernel, disposing every intermediate result it made. */
class KernelCalls {
  private readonly temporaries: TensorInfo[] = [];
  constructor(private readonly backend: unknown) {}

  run(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>): TensorInfo {
    const kernel = getKernel(name, BACKEND);
    if (!kernel) throw new Error(`The wasm backend has no ${name} kernel.`);
    const out = kernel.kernelFunc({ inputs, attrs: attrs as never, backend: this.backend as never }) as TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  /** Hands `result` to the caller and frees everything else. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.temporaries) if (t !== result) (this.backend as Backend).disposeData(t.dataId);
    return result;
  }
}

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[i, j, c, k] = Σ_n Σ_y Σ_x xPadded[n, s·y + i, s·x + j, c] · dy[n, y, x, k]
 * which is Conv2D(input = xPadded as [C, H, W, N], filter = dy as [Ho, Wo, N, K], dilation s),
 * cropped to the filter's size and transposed back to [fh, fw, C, K].
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as BackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports only NHWC (channelsLast).');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { top, bottom, left, right } = info.padInfo;
  const calls = new KernelCalls(backend);
  let padded = x;
  if (top || bottom || left || right) {
    padded = calls.run(PadV2, { x }, { paddings: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]], constantValue: 0 });
  }
  const input = calls.run(Transpose, { x: padded }, { perm: [3, 1, 2, 0] });
  const filter = calls.run(Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
  let grad = calls.run(
    Conv2D,
    { x: input, filter },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined },
  );
  const [channels, height, width, outChannels] = grad.shape as [number, number, number, number];
  if (height !== info.filterHeight || width !== info.filterWidth) {
    // Padding that the forward pass never reached (stride > 1) leaves extra rows and columns.
    grad = calls.run(Slice, { x: grad }, { begin: [0, 0, 0, 0], size: [channels, info.filterHeight, info.filterWidth, outChannels] });
  }
  return calls.finish(calls.run(Transpose, { x: grad }, { perm: [1, 2, 0, 3] }));
};

/** Registers the wasm kernels above; safe to call more than once. */
export function registerFastWasmKernels(): void {
  const transpose = getKernel(Transpose, BACKEND)?.kernelFunc;
  if (!transpose) throw new Error('The wasm backend has no Transpose kernel: is @tensorflow/tfjs-backend-wasm imported?');
  for (const name of [BatchMatMul, _FusedMatMul]) {
    const original = getKernel(name, BACKEND);
    if (!original || patched.has(original)) continue;
    unregisterKernel(name, BACKEND);
    registerKernel(explicitTransposes(original, transpose));
  }
  if (!getKernel(Conv2DBackpropFilter, BACKEND)) {
    registerKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter });
  }
}
