/**
 * The WebGL training worker (see worker-core.ts): tfjs's WebGL backend on an OffscreenCanvas, which it
 * creates by itself inside a worker when the browser has one with WebGL 2 (Chromium, Firefox, Safari
 * 16.4+). The renderer is named as WEBGL_debug_renderer_info reports it (else the masked RENDERER), and
 * marked software when it is one (SwiftShader, llvmpipe, WARP): never a GPU's figures.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import { describeAdapter, isSoftwareAdapter } from '../../experiments/lib/adapter.ts';
import { checkFirstKernel, DeviceError, firstLine, serve } from './worker-core.ts';

serve(async (request) => {
  if (request.type === 'measure' && request.hooks?.noGpu) throw new DeviceError('no-backend', 'This browser offers no WebGL (switched off by the test hook).');
  if (typeof OffscreenCanvas === 'undefined') throw new DeviceError('no-backend', 'This browser offers no WebGL in a background worker (it has no OffscreenCanvas).');
  // tfjs asks for a context that fails on a software renderer; take it, to measure it and label it as one.
  tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  let ok: boolean;
  try {
    ok = await tf.setBackend('webgl');
    await tf.ready();
  } catch (error) {
    throw new DeviceError('no-backend', `The WebGL backend could not start (${firstLine(error)}).`);
  }
  if (!ok) throw new DeviceError('no-backend', 'This browser offers no WebGL 2 in a background worker.');
  await checkFirstKernel('WebGL', request.type === 'measure' ? request.hooks : undefined);
  const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const vendor = String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  const info = { vendor, description: renderer };
  return {
    name: 'WebGL',
    adapter: { name: describeAdapter(info), software: isSoftwareAdapter(info) },
    onLost: (callback) => {
      (gl.canvas as OffscreenCanvas).addEventListener('webglcontextlost', () => callback('The WebGL context was lost mid-run (the browser took the GPU back).'));
    },
    loseNow: () => gl.getExtension('WEBGL_lose_context')?.loseContext(),
  };
});
