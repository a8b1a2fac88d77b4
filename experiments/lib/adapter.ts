/**
 * Whether a GPU adapter is really a GPU: a pure test on the names an adapter reports, shared by the Node
 * engine (backend.ts, Dawn's adapter) and the reader's browser (src/run/worker.ts: a WebGPU adapter's
 * info, or WebGL's unmasked renderer string). Browser-safe: no Node imports.
 */

/** What Dawn reports about an adapter (`GPUAdapterInfo`; older builds put isFallbackAdapter on the adapter). */
export interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Names of software rasterisers that present themselves as a GPU adapter. */
const SOFTWARE_RENDERERS: [RegExp, string][] = [
  [/lavapipe|llvmpipe/i, 'lavapipe'],
  [/swiftshader/i, 'SwiftShader'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render|\bwarp\b/i, 'WARP'],
];

/**
 * Whether an adapter is a software rasteriser running on the CPU (Mesa's lavapipe/llvmpipe, SwiftShader,
 * WARP) rather than a GPU: WebGPU's own verdict (architecture 'software', isFallbackAdapter) or a
 * known software renderer's name in the vendor, device or description.
 */
export function isSoftwareAdapter(info: AdapterInfo): boolean {
  if (info.isFallbackAdapter === true || info.architecture?.toLowerCase() === 'software') return true;
  const text = [info.vendor, info.device, info.description].filter(Boolean).join(' ');
  return SOFTWARE_RENDERERS.some(([pattern]) => pattern.test(text)) || /\bsoftware\b/i.test(text);
}

/** An adapter in words, for provenance: "software (lavapipe: …)" for a software one, so it never passes for a GPU. */
export function describeAdapter(info: AdapterInfo): string {
  const details = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'WebGPU adapter';
  if (!isSoftwareAdapter(info)) return details;
  const text = [info.vendor, info.device, info.description].filter(Boolean).join(' ');
  const renderer = SOFTWARE_RENDERERS.find(([pattern]) => pattern.test(text))?.[1] ?? 'software renderer';
  return `software (${renderer}: ${details})`;
}
