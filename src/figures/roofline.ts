/**
 * A roofline sketch (Williams, Waterman & Patterson 2009): the operations per second a device can reach
 * at each arithmetic intensity, min(peak, bandwidth × intensity), for a whole CPU socket and one training
 * GPU (its FP32 units and its tensor cores) from their datasheets (hardware.ts), with the training steps of
 * the compute experiment's two models placed by the intensity their layer shapes give at its batch size
 * (intensity.ts), and one large matrix product beside them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount, formatNumber, formatRange, formatSignificant } from '../charts/format.ts';
import { renderSvg } from '../charts/render.ts';
import { SERIES_COLORS } from '../charts/theme.ts';
import { chartHead } from '../charts/types.ts';
import { loadResult } from '../lib/results.ts';
import { attainable, DEVICES, EPYC_7763, EPYC_CORE_PEAK, ridge, ROOFS, ZEN3_FP32_PER_CYCLE, type Device } from './hardware.ts';
import { ADAM_FLOATS_PER_PARAMETER, BYTES_PER_FLOAT, layerCost, layersOf, matmul, trainingStep, type StepCost } from './intensity.ts';
import type { FigureBuild } from './types.ts';

/** The square matrix product placed for contrast. */
export const BIG_MATMUL = 4096;

export interface Workload {
  name: string;
  intensity: number;
}

type ModelSpec = { kind: 'mlp'; hidden: number[] } | { kind: 'cnn'; filters: number[]; dense: number[] };
type ModelConfig = { name: string; label: string; spec: ModelSpec };

function computeConfig(compute: ResultFile) {
  return compute.config as { batchSize: number; models: ModelConfig[] };
}

/** The compute experiment's models at its batch size, and the big matrix product. */
export function workloads(compute: ResultFile): Workload[] {
  const config = computeConfig(compute);
  const steps = config.models.map((m) => ({ name: m.spec.kind === 'cnn' ? 'LeNet CNN step' : 'MLP step', intensity: trainingStep(layersOf(m.spec), config.batchSize).intensity }));
  const big = matmul(BIG_MATMUL, BIG_MATMUL, BIG_MATMUL);
  return [...steps, { name: `${formatCount(BIG_MATMUL)}² matmul`, intensity: big.flops / big.bytes }];
}

/** The roofline model's paper, then every work the devices' figures cite, once each. */
export function rooflineCitations(): string[] {
  return [...new Set(['williams2009', ...ROOFS.flatMap((d) => [d.peakFlops, d.bandwidth].flatMap((v) => v.citations.map((c) => c.key)))])];
}

/** What the caption says, counted from the same model: why the steps' intensity is low, and what caches would change. */
export function rooflineFacts(compute: ResultFile = loadResult('compute')) {
  const config = computeConfig(compute);
  const step = (kind: ModelSpec['kind']): { layers: ReturnType<typeof layersOf>; cost: StepCost } => {
    const layers = layersOf(config.models.find((m) => m.spec.kind === kind)!.spec);
    return { layers, cost: trainingStep(layers, config.batchSize) };
  };
  const mlp = step('mlp');
  const cnn = step('cnn');
  const elementwise = cnn.layers.reduce((bytes, l, i) => bytes + (l.kind === 'relu' || l.kind === 'pool' ? layerCost(l, config.batchSize, i > 0).bytes : 0), 0);
  const intensities = [mlp.cost.intensity, cnn.cost.intensity];
  return {
    batch: config.batchSize,
    intensities,
    /** Share of the MLP step's bytes that Adam's update moves. */
    mlpOptimiserShare: mlp.cost.optimiser.bytes / mlp.cost.bytes,
    /** Share of the CNN step's bytes that its ReLU and pooling layers move. */
    cnnElementwiseShare: elementwise / cnn.cost.bytes,
    /** Weights, gradients and Adam's two moments of the MLP, in bytes. */
    mlpStateBytes: mlp.cost.parameters * 4 * BYTES_PER_FLOAT,
    /** Fraction of each roof's peak the steps reach: [lowest, highest]. */
    reach: (d: Device) => intensities.map((i) => attainable(d, i) / d.peakFlops.value).sort((a, b) => a - b) as [number, number],
  };
}

const pct = (x: number) => `${formatCount(x * 100)}%`;
const range = ([a, b]: [number, number]) => formatRange(a * 100, b * 100, formatCount, '%');
/** A roof's name inside a sentence. */
const spoken = (d: Device) => d.short.replace(' (datasheet)', ' socket');

export function rooflineCaption(): string {
  const f = rooflineFacts();
  const [lo, hi] = [Math.min(...f.intensities), Math.max(...f.intensities)];
  const fp32 = f.reach(DEVICES.gpu);
  const tensor = f.reach(DEVICES.tensor);
  return (
    'A roofline: where a roof slopes, memory bandwidth sets the speed; where it is flat, arithmetic does. ' +
    `At batch ${f.batch} our two models’ training steps do only ${formatNumber(lo, 1)} and ${formatNumber(hi, 1)} operations per byte moved: ` +
    `in the MLP’s step the optimiser update (Adam moves ${ADAM_FLOATS_PER_PARAMETER * BYTES_PER_FLOAT} bytes per parameter for about a dozen operations) is ${pct(f.mlpOptimiserShare)} of the bytes, ` +
    `and in the CNN’s the ReLU and pooling layers are ${pct(f.cnnElementwiseShare)}. ` +
    `That leaves them just short of the A100’s FP32 ridge (${formatNumber(ridge(DEVICES.gpu), 1)}), at ${range(fp32)} of that peak, ` +
    `but far short of the tensor-core ridge (${formatCount(ridge(DEVICES.tensor))}) that training on such a GPU uses, at ${range(tensor)} of its peak; ` +
    'a large matrix product reuses each number hundreds of times and reaches the flat peaks. ' +
    `Datasheet peaks and a counted traffic model, not measurements. The model ignores caches: the MLP’s whole training state (weights, gradients and Adam’s two moments, ${formatNumber(f.mlpStateBytes / 1e6, 1)} MB) fits in the CPU’s L3 cache and the GPU’s L2.`
  );
}

const X_DOMAIN = [1, 1000] as const;
const TERA = 1e12;

export async function rooflineFigure(): Promise<FigureBuild> {
  const compute = loadResult('compute');
  const f = rooflineFacts(compute);
  const work = workloads(compute);
  const [cpu, gpu, tensor] = [DEVICES.cpu, DEVICES.gpu, DEVICES.tensor];
  // Drawn highest roof first: the A100's two roofs share their slope, and its FP32 roof is drawn over it.
  const drawn = [...ROOFS].reverse();
  const roofs = drawn.flatMap((d) => [X_DOMAIN[0], ridge(d), X_DOMAIN[1]].map((x, o) => ({ device: d.short, o, x, y: attainable(d, x) / TERA })));
  const points = drawn.flatMap((d) => work.map((w) => ({ device: d.short, x: w.intensity, y: attainable(d, w.intensity) / TERA, name: w.name })));
  // The two models' steps sit close together: one label for both, below their dots on the CPU's roof; the
  // matrix product's beside its dot on the tensor cores' roof.
  const [models, big] = [work.slice(0, -1), work.at(-1)!];
  const modelsAt = Math.max(...models.map((w) => w.intensity));
  const labels = [
    { x: modelsAt, y: attainable(cpu, modelsAt) / TERA, name: 'our two models’ training steps', align: 'left', dx: 8, dy: 16 },
    { x: big.intensity, y: attainable(tensor, big.intensity) / TERA, name: big.name, align: 'right', dx: -6, dy: 10 },
  ];
  const links = work.map((w) => ({ x: w.intensity, y: attainable(cpu, w.intensity) / TERA, y2: attainable(tensor, w.intensity) / TERA }));
  const color = { field: 'device', type: 'nominal', scale: { domain: ROOFS.map((d) => d.short), range: SERIES_COLORS.slice(0, ROOFS.length) }, title: null } as const;
  const x = { field: 'x', type: 'quantitative', scale: { type: 'log', domain: X_DOMAIN }, title: 'operations per byte moved (log)', axis: { values: [1, 10, 100, 1000], format: '~s' } } as const;
  const y = { field: 'y', type: 'quantitative', scale: { type: 'log', domain: [0.1, 400] }, title: 'TFLOP/s reachable (log)', axis: { values: [0.1, 1, 10, 100], format: '~g' } } as const;
  const bound = (d: Device, w: Workload) => (w.intensity < ridge(d) ? 'memory-bound' : 'compute-bound');
  const tflops = (v: number) => formatSignificant(v / TERA, 3);
  const description =
    `A roofline on log scales: operations per second a device can reach (vertical, TFLOP/s) against arithmetic intensity, operations per byte moved to or from memory (horizontal). ` +
    ROOFS.map((d) => `${d.name}: a roof rising with its memory bandwidth, ${formatSignificant(d.bandwidth.value / 1e9, 4)} GB/s, until intensity ${formatNumber(ridge(d), 1)}, then flat at its peak, ${tflops(d.peakFlops.value)} TFLOP/s`).join('; ') +
    `. The CPU's peak is ${EPYC_7763.baseClockHz / 1e9} GHz × ${ZEN3_FP32_PER_CYCLE} FP32 operations per cycle (two 256-bit multiply-add pipes) = ${formatNumber(EPYC_CORE_PEAK / 1e9, 1)} GFLOP/s per core, × ${EPYC_7763.cores} cores = ${tflops(cpu.peakFlops.value)} TFLOP/s, ` +
    `with ${formatNumber(cpu.bandwidth.value / 1e9, 1)} GB/s for the socket; the GPU has about ${formatCount(gpu.bandwidth.value / cpu.bandwidth.value)} times its bandwidth and ${formatNumber(gpu.peakFlops.value / cpu.peakFlops.value, 1)} times its FP32 peak. ` +
    `Placed by intensity, counted from layer shapes at batch ${f.batch} (the first layer computes no gradient for its input): ` +
    `${work.map((w) => `${w.name} ${formatNumber(w.intensity, 1)}`).join(', ')} operations per byte. ` +
    `The two steps are ${models.every((w) => ROOFS.every((d) => bound(d, w) === 'memory-bound')) ? 'memory-bound on all three roofs' : 'placed'}: ${ROOFS.map((d) => `${range(f.reach(d))} of peak on the ${spoken(d)}`).join(', ')}; ` +
    `the matrix product is ${ROOFS.every((d) => bound(d, big) === 'compute-bound') ? 'compute-bound on all three, at their peaks' : 'placed likewise'}` +
    `. The A100's two roofs share their slope, so on it their dots coincide. A dashed line joins each workload's lowest and highest dots. ` +
    'Datasheet peaks and a counted traffic model that ignores caches, not measurements by this project; the EPYC 7763 is not the machine our runs used.';
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
