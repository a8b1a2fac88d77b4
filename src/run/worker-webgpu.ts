/**
 * The WebGPU training worker (see worker-core.ts): tfjs's WebGPU backend on the adapter the browser
 * gives for high performance (the one that backend asks for), named as the browser reports it and
 * marked software when it is a software renderer (SwiftShader, lavapipe, WARP): never a GPU's figures.
 */
import * as tf from '@tensorflow/tfjs-core';
// Registers the backend on import, where navigator.gpu exists.
import '@tensorflow/tfjs-backend-webgpu';
import { describeAdapter, isSoftwareAdapter, type AdapterInfo } from '../../experiments/lib/adapter.ts';
import { checkFirstKernel, DeviceError, firstLine, serve } from './worker-core.ts';

/** The parts of WebGPU this worker touches (the WebGPU types are not a dependency of the site). */
interface GpuAdapter {
  info?: AdapterInfo;
  isFallbackAdapter?: boolean;
}
interface GpuDevice {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapter | null>;
}

serve(async (request) => {
  const gpu = (navigator as Navigator & { gpu?: Gpu }).gpu;
  if (request.type === 'measure' && request.hooks?.noGpu) throw new DeviceError('no-backend', 'This browser offers no WebGPU (switched off by the test hook).');
  if (!gpu) throw new DeviceError('no-backend', 'This browser offers no WebGPU.');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) throw new DeviceError('no-backend', 'This browser has WebGPU but gives no adapter for it (no GPU it accepts, or WebGPU switched off).');
  // GPUAdapterInfo's fields live on its prototype: copy them. An empty description gets the vendor and architecture.
  const raw = adapter.info ?? {};
  const info: AdapterInfo = {
    vendor: raw.vendor,
    architecture: raw.architecture,
    device: raw.device,
    description: raw.description || [raw.vendor, raw.architecture].filter(Boolean).join(' '),
    isFallbackAdapter: raw.isFallbackAdapter ?? adapter.isFallbackAdapter,
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend('webgpu');
    await tf.ready();
  } catch (error) {
    throw new DeviceError('no-backend', `The WebGPU backend could not start (${firstLine(error)}).`);
  }
  if (!ok) throw new DeviceError('no-backend', 'The WebGPU backend could not start on this device.');
  await checkFirstKernel('WebGPU', request.type === 'measure' ? request.hooks : undefined);
  const device = (tf.backend() as unknown as { device: GpuDevice }).device;
  return {
    name: 'WebGPU',
    adapter: { name: describeAdapter(info), software: isSoftwareAdapter(info) },
    onLost: (callback) => {
      void device.lost.then((why) => callback(`The WebGPU device was lost mid-run (${why.reason ?? 'unknown'}${why.message ? `: ${why.message}` : ''}).`));
    },
    loseNow: () => device.destroy(),
  };
});
