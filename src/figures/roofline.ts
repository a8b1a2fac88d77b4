/**
 * A roofline sketch (Williams, Waterman & Patterson 2009): the operations per second a device can reach
 * at each arithmetic intensity, min(peak, bandwidth × intensity), for one CPU core and one GPU from their
 * datasheets (hardware.ts), with the training steps of the compute experiment's two models placed by the
 * intensity their layer shapes give at its batch size (intensity.ts), and one large matrix product beside them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount, formatNumber } from '../charts/format.ts';
import { renderSvg } from '../charts/render.ts';
import { SERIES_COLORS } from '../charts/theme.ts';
import { chartHead } from '../charts/types.ts';
import { loadResult } from '../lib/results.ts';
import { attainable, DEVICES, ridge, type Device } from './hardware.ts';
import { layersOf, matmul, trainingStep } from './intensity.ts';
import type { FigureBuild } from './types.ts';

/** The square matrix product placed for contrast. */
export const BIG_MATMUL = 4096;

export interface Workload {
  name: string;
  intensity: number;
}

type ModelConfig = { name: string; label: string; spec: { kind: 'mlp'; hidden: number[] } | { kind: 'cnn'; filters: number[]; dense: number[] } };

/** The compute experiment's models at its batch size, and the big matrix product. */
export function workloads(compute: ResultFile): Workload[] {
  const config = compute.config as { batchSize: number; models: ModelConfig[] };
  const steps = config.models.map((m) => ({ name: m.spec.kind === 'cnn' ? 'LeNet CNN step' : 'MLP step', intensity: trainingStep(layersOf(m.spec), config.batchSize).intensity }));
  const big = matmul(BIG_MATMUL, BIG_MATMUL, BIG_MATMUL);
  return [...steps, { name: `${formatCount(BIG_MATMUL)}² matmul`, intensity: big.flops / big.bytes }];
}

/** The roofline model's paper, then every work the devices' figures cite, once each. */
export function rooflineCitations(): string[] {
  const devices: Device[] = [DEVICES.cpu, DEVICES.gpu];
  return [...new Set(['williams2009', ...devices.flatMap((d) => [d.peakFlops, d.bandwidth].flatMap((v) => v.citations.map((c) => c.key)))])];
}

const X_DOMAIN = [1, 1000] as const;
const GIGA = 1e9;

export async function rooflineFigure(): Promise<FigureBuild> {
  const compute = loadResult('compute');
  const config = compute.config as { batchSize: number };
  const work = workloads(compute);
  const devices: Device[] = [DEVICES.cpu, DEVICES.gpu];
  const roofs = devices.flatMap((d) => [X_DOMAIN[0], ridge(d), X_DOMAIN[1]].map((x, o) => ({ device: d.short, o, x, y: attainable(d, x) / GIGA })));
  const points = devices.flatMap((d) => work.map((w, i) => ({ device: d.short, x: w.intensity, y: attainable(d, w.intensity) / GIGA, name: w.name, side: i })));
  // The two models' steps sit close together: one label for both, below their dots on the CPU's roof; the
  // matrix product's above its dot on the GPU's.
  const [models, big] = [work.slice(0, -1), work.at(-1)!];
  const labels = [
    { x: Math.max(...models.map((w) => w.intensity)), y: attainable(DEVICES.cpu, Math.max(...models.map((w) => w.intensity))) / GIGA, name: `our ${models.length} models' training steps`, align: 'left', dx: 8, dy: 16 },
    { x: big.intensity, y: attainable(DEVICES.gpu, big.intensity) / GIGA, name: big.name, align: 'right', dx: 4, dy: -8 },
  ];
  const links = work.map((w) => ({ x: w.intensity, y: attainable(DEVICES.cpu, w.intensity) / GIGA, y2: attainable(DEVICES.gpu, w.intensity) / GIGA }));
  const color = { field: 'device', type: 'nominal', scale: { domain: devices.map((d) => d.short), range: [SERIES_COLORS[0], SERIES_COLORS[1]] }, title: null } as const;
  const x = { field: 'x', type: 'quantitative', scale: { type: 'log', domain: X_DOMAIN }, title: 'operations per byte moved (log)', axis: { values: [1, 10, 100, 1000], format: '~s' } } as const;
  const y = { field: 'y', type: 'quantitative', scale: { type: 'log', domain: [1, 40000] }, title: 'GFLOP/s reachable (log)', axis: { values: [1, 10, 100, 1000, 10000], format: '~s' } } as const;
  const bound = (d: Device, w: Workload) => (w.intensity < ridge(d) ? 'memory-bound' : 'compute-bound');
  const description =
    `A roofline on log scales: operations per second a device can reach (vertical) against arithmetic intensity, operations per byte moved to or from memory (horizontal). ` +
    devices
      .map((d) => `${d.name}: a roof rising with its memory bandwidth, ${formatNumber(d.bandwidth.value / GIGA, d.bandwidth.value < 1e10 ? 1 : 0)} GB/s, until intensity ${formatNumber(ridge(d), 1)}, then flat at its peak, ${formatCount(d.peakFlops.value / GIGA)} GFLOP/s`)
      .join('; ') +
    `. Placed by intensity, counted from layer shapes at batch ${config.batchSize}: ` +
    work.map((w) => `${w.name} ${formatNumber(w.intensity, 1)} operations per byte (${devices.map((d) => `${bound(d, w)} on the ${d.short}`).join(', ')})`).join('; ') +
    `. A dashed line joins each workload's two dots: on the models' steps the GPU reaches ${formatCount(attainable(DEVICES.gpu, models[0]!.intensity) / attainable(DEVICES.cpu, models[0]!.intensity))} times the CPU core (the ratio of their bandwidths), on the matrix product ${formatCount(attainable(DEVICES.gpu, big.intensity) / attainable(DEVICES.cpu, big.intensity))} times (the ratio of their peaks). ` +
    'Datasheet figures and a count of operations and bytes, not measurements by this project.';
  const spec = {
    ...chartHead(description),
    height: 230,
    layer: [
      { data: { values: links }, mark: { type: 'rule', strokeDash: [3, 3], color: 'currentColor', opacity: 0.5 }, encoding: { x, y, y2: { field: 'y2' } } },
      { data: { values: roofs }, mark: { type: 'line', strokeWidth: 2.5 }, encoding: { x, y, color, order: { field: 'o' } } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 50, stroke: 'currentColor', strokeWidth: 1 }, encoding: { x, y, color } },
      ...labels.map(({ align, dx, dy, ...label }) => ({
        data: { values: [label] },
        mark: { type: 'text', fontSize: 11, baseline: 'middle', color: 'currentColor', align, dx, dy },
        encoding: { x, y, text: { field: 'name' } },
      })),
    ],
    config: { legend: { orient: 'top', direction: 'horizontal', columns: 2 } },
  } as unknown as TopLevelSpec;
  return { svg: await renderSvg(spec), description };
}
