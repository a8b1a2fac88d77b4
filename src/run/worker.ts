/**
 * The WebAssembly training worker (see worker-core.ts): the stock wasm backend, single-threaded with
 * SIMD, plus the engine's kernels (wasm-kernels.ts) registered before the backend initialises, exactly
 * as the Node engine runs (experiments/lib/backend.ts): the same numbers as our committed rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerFastWasmKernels } from '../../experiments/lib/wasm-kernels.ts';
import { DeviceError, serve } from './worker-core.ts';

/** WebAssembly SIMD, as the engine's wasm backend uses it: a module with one v128 instruction validates. */
function hasWasmSimd(): boolean {
  // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe);
}

serve(async (request) => {
  if (!hasWasmSimd()) {
    throw new DeviceError('no-simd', 'This browser has no WebAssembly SIMD, which the reproducible backend needs (Chrome 91+, Firefox 89+, Safari 16.4+).');
  }
  // Single-threaded, as in Node: threads need cross-origin isolation, and would not change the numbers
  // but would change the binary; the engine's rows were made with the SIMD binary.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(request.wasmPaths);
  // Before the backend initialises, so its setup binds our kernels too (as backend.ts does in Node).
  registerFastWasmKernels();
  if (!(await tf.setBackend('wasm'))) throw new DeviceError('no-backend', 'The WebAssembly backend could not start on this device.');
  await tf.ready();
  return { name: 'wasm (SIMD, 1 thread)', adapter: null };
});
