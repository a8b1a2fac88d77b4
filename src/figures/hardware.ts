/**
 * Datasheet figures for the roofline sketch, each with where it comes from. Curated by hand, not measured
 * by this project: the citations point into src/content/bibliography.json.
 */

export interface CitedValue {
  value: number;
  /** What the number is and, where it is derived, how. */
  note: string;
  /** Bibliography keys with where in the work. */
  citations: { key: string; at: string }[];
}

export interface Device {
  name: string;
  short: string;
  /** Peak 32-bit operations per second. */
  peakFlops: CitedValue;
  /** Memory bandwidth, bytes per second. */
  bandwidth: CitedValue;
}

export const EPYC_7763 = { cores: 64, baseClockHz: 2.45e9, socketBandwidth: 204.8e9 };
/** Zen 3: two 256-bit fused multiply-add pipes, 8 floats each, 2 operations per multiply-add. */
export const ZEN3_FP32_PER_CYCLE = 2 * 8 * 2;
/** One core's peak FP32 operations per second at base clock. */
export const EPYC_CORE_PEAK = EPYC_7763.baseClockHz * ZEN3_FP32_PER_CYCLE;

const A100_BANDWIDTH: CitedValue = { value: 2039e9, note: 'GPU memory bandwidth, 80GB SXM', citations: [{ key: 'nvidia-a100', at: 'GPU memory bandwidth' }] };

/** A datasheet's CPU socket and a training GPU, on its ordinary FP32 units and on its tensor cores. Not the machine our runs used. */
export const DEVICES = {
  cpu: {
    name: 'AMD EPYC 7763, the whole 64-core socket (CPU)',
    short: 'EPYC 7763 (datasheet)',
    peakFlops: {
      value: EPYC_7763.cores * EPYC_CORE_PEAK,
      note: `${EPYC_7763.cores} cores × ${EPYC_7763.baseClockHz / 1e9} GHz base clock × ${ZEN3_FP32_PER_CYCLE} FP32 operations per cycle (two 256-bit FMA pipes, 8 floats each, 2 operations per multiply-add)`,
      citations: [
        { key: 'amd-epyc-7763', at: 'cores, base clock' },
        { key: 'amd-zen3-sog', at: 'floating-point unit' },
      ],
    },
    bandwidth: {
      value: EPYC_7763.socketBandwidth,
      note: `the socket's memory bandwidth`,
      citations: [{ key: 'amd-epyc-7763', at: 'per-socket memory bandwidth' }],
    },
  },
  gpu: {
    name: 'NVIDIA A100 80GB SXM, FP32 units (GPU)',
    short: 'A100 FP32',
    peakFlops: { value: 19.5e12, note: 'peak FP32, without tensor cores', citations: [{ key: 'nvidia-a100', at: 'FP32' }] },
    bandwidth: A100_BANDWIDTH,
  },
  tensor: {
    name: 'NVIDIA A100 80GB SXM, TF32 tensor cores (GPU)',
    short: 'A100 TF32 tensor cores',
    peakFlops: {
      value: 156e12,
      note: 'peak Tensor Float 32 on the tensor cores, dense (the datasheet’s 312 assumes structured sparsity)',
      citations: [{ key: 'nvidia-a100', at: 'Tensor Float 32 (TF32)' }],
    },
    bandwidth: A100_BANDWIDTH,
  },
} satisfies Record<string, Device>;

/** The roofs drawn, lowest first. */
export const ROOFS: Device[] = [DEVICES.cpu, DEVICES.gpu, DEVICES.tensor];

/** Where a device's roof turns flat: the intensity (operations per byte) at which bandwidth stops limiting. */
export function ridge(device: Device): number {
  return device.peakFlops.value / device.bandwidth.value;
}

/** The roofline: attainable operations per second at an arithmetic intensity. */
export function attainable(device: Device, intensity: number): number {
  return Math.min(device.peakFlops.value, device.bandwidth.value * intensity);
}
