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

const EPYC_7763 = { cores: 64, baseClockHz: 2.45e9, socketBandwidth: 204.8e9 };
/** Zen 3: two 256-bit fused multiply-add pipes, 8 floats each, 2 operations per multiply-add. */
const ZEN3_FP32_PER_CYCLE = 2 * 8 * 2;

export const DEVICES = {
  cpu: {
    name: 'One core of an AMD EPYC 7763 (CPU)',
    short: 'CPU core',
    peakFlops: {
      value: EPYC_7763.baseClockHz * ZEN3_FP32_PER_CYCLE,
      note: `${EPYC_7763.baseClockHz / 1e9} GHz base clock × ${ZEN3_FP32_PER_CYCLE} FP32 operations per cycle (two 256-bit FMA pipes)`,
      citations: [
        { key: 'amd-epyc-7763', at: 'base clock' },
        { key: 'amd-zen3-sog', at: 'floating-point unit' },
      ],
    },
    bandwidth: {
      value: EPYC_7763.socketBandwidth / EPYC_7763.cores,
      note: `a ${EPYC_7763.cores}th of the socket's ${EPYC_7763.socketBandwidth / 1e9} GB/s: one core's share when every core is busy, so that core and socket have the same ridge (a lone core can draw more, which moves its ridge left)`,
      citations: [{ key: 'amd-epyc-7763', at: 'per-socket memory bandwidth, cores' }],
    },
  },
  gpu: {
    name: 'NVIDIA A100 80GB SXM (GPU)',
    short: 'GPU',
    peakFlops: { value: 19.5e12, note: 'peak FP32, without tensor cores', citations: [{ key: 'nvidia-a100', at: 'FP32' }] },
    bandwidth: { value: 2039e9, note: 'GPU memory bandwidth, 80GB SXM', citations: [{ key: 'nvidia-a100', at: 'GPU memory bandwidth' }] },
  },
} satisfies Record<string, Device>;

/** Where a device's roof turns flat: the intensity (operations per byte) at which bandwidth stops limiting. */
export function ridge(device: Device): number {
  return device.peakFlops.value / device.bandwidth.value;
}

/** The roofline: attainable operations per second at an arithmetic intensity. */
export function attainable(device: Device, intensity: number): number {
  return Math.min(device.peakFlops.value, device.bandwidth.value * intensity);
}
