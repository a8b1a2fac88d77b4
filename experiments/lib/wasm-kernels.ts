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
  Conv2DBackpropInput,
  MaxPoolGrad,
  PadV2,
  Reverse,
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

const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

/**
 * C = op(A)·op(B) without the slow transposed paths, in whichever of two equivalent ways moves
 * fewer elements through Transpose (measured: transposing a 1024×1024 weight matrix costs more than
 * the product itself, while the same gradient computed as (W·dyᵀ)ᵀ transposes only small matrices):
 *   transposeA:  transpose A,            or  C = (Bᵀ·A)ᵀ
 *   transposeB:  transpose B,            or  C = (B·Aᵀ)ᵀ
 *   both:        transpose A and B,      or  C = (B·A)ᵀ
 * The second forms swap the operands, so they are used only for plain products (no bias or
 * activation to apply to the output).
 */
function explicitTransposes(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean; activation?: string };
    const { transposeA = false, transposeB = false } = attrs;
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const { a, b, ...extra } = args.inputs as Record<string, TensorInfo>;
    const plain = Object.values(extra).every((t) => t == null) && (attrs.activation ?? 'linear') === 'linear';
    const calls = new KernelCalls(args.backend);
    const swap = (t: TensorInfo) => calls.run(Transpose, { x: t }, { perm: swapLastTwo(t.shape.length) });
    const product = (x: TensorInfo, y: TensorInfo, inputs: Record<string, TensorInfo> = {}) => {
      const out = original.kernelFunc({ ...args, inputs: { ...inputs, a: x, b: y }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
      calls.track(out);
      return out;
    };
    const [m, n] = [transposeA ? a!.shape.at(-1)! : a!.shape.at(-2)!, transposeB ? b!.shape.at(-2)! : b!.shape.at(-1)!];
    const batch = size(a!) / (a!.shape.at(-1)! * a!.shape.at(-2)!);
    const direct = (transposeA ? size(a!) : 0) + (transposeB ? size(b!) : 0);
    const swapped = (transposeA && !transposeB ? size(b!) : 0) + (transposeB && !transposeA ? size(a!) : 0) + batch * m * n;
    if (!plain || direct <= swapped) {
      return calls.finish(product(transposeA ? swap(a!) : a!, transposeB ? swap(b!) : b!, extra));
    }
    const first = transposeA && !transposeB ? swap(b!) : b!;
    const second = transposeB && !transposeA ? swap(a!) : a!;
    return calls.finish(swap(product(first, second)));
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
    return this.track(kernel.kernelFunc({ inputs, attrs: attrs as never, backend: this.backend as never }) as TensorInfo);
  }

  track(out: TensorInfo): TensorInfo {
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

interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * The input gradient of a stride-1 convolution is a forward convolution of dy with the filter
 * rotated by 180° and its channel axes swapped, padded by (filter size − 1 − forward padding).
 * wasm's own Conv2DBackpropInput is a plain loop (measured: 36 ms of a 90 ms LeNet step); Conv2D
 * is XNNPACK's. Strided convolutions keep the original kernel.
 */
function fastBackpropInput(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as BackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    if (dataFormat === 'NCHW' || info.strideHeight !== 1 || info.strideWidth !== 1) return original.kernelFunc(args);
    const { top, bottom, left, right } = info.padInfo;
    const [fh, fw] = [info.filterHeight, info.filterWidth];
    const padding: backend_util.ExplicitPadding = [[0, 0], [fh - 1 - top, fh - 1 - bottom], [fw - 1 - left, fw - 1 - right], [0, 0]];
    if (padding.flat().some((p) => p < 0)) return original.kernelFunc(args);
    const calls = new KernelCalls(args.backend);
    const rotated = calls.run(Reverse, { x: filter }, { dims: [0, 1] });
    const swapped = calls.run(Transpose, { x: rotated }, { perm: [0, 1, 3, 2] });
    return calls.finish(
      calls.run(Conv2D, { x: dy, filter: swapped }, { strides: [1, 1], pad: padding, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined }),
    );
  };
  const config: KernelConfig = { ...original, kernelFunc };
  patched.add(config);
  return config;
}

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Max-pool gradient in one pass: each window sends its dy to the first position holding the window's
 * maximum (the cpu backend's rule; ties are common after a ReLU). wasm's own kernel took 17 ms of a
 * 90 ms LeNet step.
 */
const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const heap = backend as unknown as WasmBackendHeap;
  const out = heap.makeOutput([...input.shape], 'float32');
  const [X, DY, DX] = [input, dy, out].map((t) => heap.typedArrayFromHeap(t)) as [Float32Array, Float32Array, Float32Array];
  DX.fill(0);
  const [batch, height, width, channels] = input.shape as [number, number, number, number];
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let b = 0; b < batch; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let wr = 0; wr < filterHeight; wr++) {
          const r = yr * strideHeight - top + wr;
          if (r < 0 || r >= height) continue;
          for (let wc = 0; wc < filterWidth; wc++) {
            const c = yc * strideWidth - left + wc;
            if (c < 0 || c >= width) continue;
            const base = ((b * height + r) * width + c) * channels;
            for (let d = 0; d < channels; d++) {
              const value = X[base + d]!;
              if (value > best[d]!) {
                best[d] = value;
                where[d] = base + d;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + yr) * outWidth + yc) * channels;
        for (let d = 0; d < channels; d++) {
          const at = where[d]!;
          if (at >= 0) DX[at] = DX[at]! + DY[dyBase + d]!;
        }
      }
    }
  }
  return out;
};

/** Name of our fused Adam step, registered for wasm only (see optimizers.ts). */
export const ADAM_UPDATE = 'OurAdamUpdate';

interface WasmBackendHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1^t and 1 − β2^t: Adam's bias corrections at step t. */
  correction1: number;
  correction2: number;
}

/**
 * One pass over weights, moments and gradient instead of the dozen elementwise kernels (each a full
 * pass over memory) that tfjs's Adam runs per variable. Same formula as tf.train.adam:
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − lr·(m/c1) / (√(v/c2) + ε)
 * Reads X, M, V, G and writes X2, M2, V2 (which may be the same arrays: the update is elementwise).
 */
function adamLoop(X: Float32Array, M: Float32Array, V: Float32Array, G: Float32Array, X2: Float32Array, M2: Float32Array, V2: Float32Array, p: AdamStep): void {
  const a1 = 1 - p.beta1;
  const a2 = 1 - p.beta2;
  // Divisions hoisted out of the loop: it runs once per weight per step.
  const step = p.learningRate / p.correction1;
  const inverse2 = 1 / p.correction2;
  const { beta1, beta2, epsilon } = p;
  for (let i = 0; i < X.length; i++) {
    const gi = G[i]!;
    const mi = beta1 * M[i]! + a1 * gi;
    const vi = beta2 * V[i]! + a2 * gi * gi;
    M2[i] = mi;
    V2[i] = vi;
    X2[i] = X[i]! - (step * mi) / (Math.sqrt(vi * inverse2) + epsilon);
  }
}

/** The kernel form: new tensors for the new weights and moments. */
const adamUpdate: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, m, v, g } = inputs as Record<'x' | 'm' | 'v' | 'g', TensorInfo>;
  const heap = backend as unknown as WasmBackendHeap;
  const outputs = [x, m, v].map((t) => heap.makeOutput([...t.shape], 'float32'));
  // Views are taken after every allocation: growing the wasm memory detaches older views.
  const [X, M, V, G, X2, M2, V2] = [x, m, v, g, ...outputs].map((t) => heap.typedArrayFromHeap(t)) as Float32Array[];
  adamLoop(X!, M!, V!, G!, X2!, M2!, V2!, attrs as unknown as AdamStep);
  return outputs;
};

/** Registers the wasm kernels above; safe to call more than once. */
export function registerFastWasmKernels(): void {
  if (!getKernel(Transpose, BACKEND)) throw new Error('The wasm backend has no Transpose kernel: is @tensorflow/tfjs-backend-wasm imported?');
  for (const name of [BatchMatMul, _FusedMatMul]) {
    const original = getKernel(name, BACKEND);
    if (!original || patched.has(original)) continue;
    unregisterKernel(name, BACKEND);
    registerKernel(explicitTransposes(original));
  }
  const backpropInput = getKernel(Conv2DBackpropInput, BACKEND);
  if (backpropInput && !patched.has(backpropInput)) {
    unregisterKernel(Conv2DBackpropInput, BACKEND);
    registerKernel(fastBackpropInput(backpropInput));
  }
  const poolGrad = getKernel(MaxPoolGrad, BACKEND);
  if (poolGrad && poolGrad.kernelFunc !== maxPoolGrad) {
    unregisterKernel(MaxPoolGrad, BACKEND);
    registerKernel({ kernelName: MaxPoolGrad, backendName: BACKEND, kernelFunc: maxPoolGrad });
  }
  if (!getKernel(ADAM_UPDATE, BACKEND)) {
    registerKernel({ kernelName: ADAM_UPDATE, backendName: BACKEND, kernelFunc: adamUpdate });
  }
  if (!getKernel(Conv2DBackpropFilter, BACKEND)) {
    registerKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter });
  }
}
