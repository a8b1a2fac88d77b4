/**
 * Capacity as decision boundaries: logistic regression, an RBF-kernel SVM and a small neural network
 * trained on the same two interleaved half-moons, at build time. The networks are trained by the
 * engine's own loop (experiments/lib/train.ts, on the plain JavaScript backend, seeded); the SVM by
 * libsvm, as in the scale experiment. Each model's decision function is sampled on a grid and its zero
 * line traced (contour.ts); nothing is drawn that the models did not compute.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../../experiments/lib/backend.ts';
import type { Split } from '../../experiments/lib/mnist.ts';
import { CLASSES } from '../../experiments/lib/mnist.ts';
import { createOptimizer } from '../../experiments/lib/optimizers.ts';
import { createRng, deriveSeed } from '../../experiments/lib/random.ts';
import { train } from '../../experiments/lib/train.ts';
import type { TopLevelSpec } from 'vega-lite';
import { formatCount, formatPercent } from '../charts/format.ts';
import { renderSvg } from '../charts/render.ts';
import { SERIES_COLORS } from '../charts/theme.ts';
import { chartHead } from '../charts/types.ts';
import { zeroRings, type Grid, type Ring } from './contour.ts';
import type { FigureBuild } from './types.ts';

export const SEED = 7;

/** The data and the models: small enough to train in a few seconds on one core. */
export const SETUP = {
  points: 160,
  testPoints: 1000,
  noise: 0.2,
  /** Area drawn (and sampled) around the moons. */
  x: [-1.5, 2.5] as const,
  y: [-1.1, 1.6] as const,
  gridX: 64,
  gridY: 44,
  logistic: { epochs: 300, learningRate: 0.1 },
  network: { hidden: [16, 16], epochs: 600, learningRate: 0.03 },
  svm: { cost: 10, gamma: 2 },
};

export interface Moons {
  x: Float32Array; // count × 2
  labels: Uint8Array;
}

/** Two interleaved half-circles with Gaussian noise (as scikit-learn's make_moons), from a seed. */
export function makeMoons(count: number, noise: number, seed: number): Moons {
  const rng = createRng(deriveSeed(seed, 'moons'));
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const x = new Float32Array(count * 2);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const t = Math.PI * rng();
    const [cx, cy] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x[2 * i] = cx + noise * gaussian();
    x[2 * i + 1] = cy + noise * gaussian();
    labels[i] = label;
  }
  return { x, labels };
}

export interface Boundary {
  model: 'logistic' | 'svm' | 'network';
  label: string;
  trainAccuracy: number;
  /** On fresh points drawn from the same moons (another seed). */
  testAccuracy: number;
  /** The zero line of the model's decision function: class 1 lies on its right (in y-up coordinates). */
  rings: Ring[];
  /** The decision function on the grid (positive: class 1). */
  grid: Grid;
}

export interface BoundaryFigureData {
  moons: Moons;
  boundaries: Boundary[];
}

function gridPoints(): { grid: Omit<Grid, 'values'>; points: Float32Array } {
  const { gridX: nx, gridY: ny } = SETUP;
  const dx = (SETUP.x[1] - SETUP.x[0]) / (nx - 1);
  const dy = (SETUP.y[1] - SETUP.y[0]) / (ny - 1);
  const points = new Float32Array(nx * ny * 2);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      points[2 * (j * nx + i)] = SETUP.x[0] + i * dx;
      points[2 * (j * nx + i) + 1] = SETUP.y[0] + j * dy;
    }
  }
  return { grid: { nx, ny, x0: SETUP.x[0], y0: SETUP.y[0], dx, dy }, points };
}

/**
 * A tfjs model trained by the engine's loop. The loop one-hot encodes labels over MNIST's ten classes,
 * so the models have ten softmax outputs of which the data use two; the decision function is the
 * difference of the two used logits' probabilities.
 */
async function trainLayers(model: tfl.Sequential, moons: Moons, epochs: number, learningRate: number, seed: number): Promise<(x: Float32Array) => Promise<Float64Array>> {
  model.compile({ optimizer: createOptimizer({ name: 'adam', learningRate }), loss: 'categoricalCrossentropy' });
  const count = moons.labels.length;
  const split: Split = { images: new Uint8Array(0), labels: moons.labels, count };
  // Full batches: one step per epoch, the same every run.
  await train(model, split, { epochs, batchSize: count, rng: createRng(deriveSeed(seed, 'order')), inputs: moons.x });
  return async (x) => {
    const out = tf.tidy(() => {
      const p = model.predict(tf.tensor2d(x, [x.length / 2, 2])) as tf.Tensor2D;
      return tf.sub(tf.slice(p, [0, 1], [-1, 1]), tf.slice(p, [0, 0], [-1, 1]));
    });
    const values = Float64Array.from(await out.data());
    out.dispose();
    return values;
  };
}

function dense(units: number, seed: number, layer: number, extra: Parameters<typeof tfl.layers.dense>[0] = { units }) {
  return tfl.layers.dense({ ...extra, units, kernelInitializer: tfl.initializers.glorotUniform({ seed: deriveSeed(seed, 'kernel', layer) }) });
}

async function logistic(moons: Moons, seed: number) {
  const model = tfl.sequential();
  model.add(dense(CLASSES, seed, 0, { units: CLASSES, activation: 'softmax', inputShape: [2] }));
  return trainLayers(model, moons, SETUP.logistic.epochs, SETUP.logistic.learningRate, seed);
}

async function network(moons: Moons, seed: number) {
  const model = tfl.sequential();
  SETUP.network.hidden.forEach((units, i) => model.add(dense(units, seed, i, { units, activation: 'relu', ...(i === 0 ? { inputShape: [2] } : {}) })));
  model.add(dense(CLASSES, seed, SETUP.network.hidden.length, { units: CLASSES, activation: 'softmax' }));
  return trainLayers(model, moons, SETUP.network.epochs, SETUP.network.learningRate, seed);
}

interface LibSvm {
  train(samples: number[][], labels: number[]): void;
  serializeModel(): string;
  free(): void;
}
interface LibSvmModule {
  new (options: { kernel: number; type: number; gamma: number; cost: number; quiet: boolean }): LibSvm;
  KERNEL_TYPES: { RBF: number };
  SVM_TYPES: { C_SVC: number };
}

/** The package's entry is a promise of the class; its loader logs a harmless fallback, kept off the build log. */
async function loadLibSvm(): Promise<LibSvmModule> {
  const { warn, log } = console;
  console.warn = console.log = () => {};
  try {
    return await (createRequire(import.meta.url)('libsvm-js') as Promise<LibSvmModule>);
  } finally {
    Object.assign(console, { warn, log });
  }
}

/** libsvm (C-SVC, RBF kernel), loaded as kernel-svm.ts loads it; its decision function read from the trained model. */
async function svm(moons: Moons) {
  const SVM = await loadLibSvm();
  const { gamma, cost } = SETUP.svm;
  const machine = new SVM({ kernel: SVM.KERNEL_TYPES.RBF, type: SVM.SVM_TYPES.C_SVC, gamma, cost, quiet: true });
  const samples = Array.from(moons.labels, (_, i) => [moons.x[2 * i]!, moons.x[2 * i + 1]!]);
  machine.train(samples, Array.from(moons.labels));
  const text = machine.serializeModel();
  machine.free();
  // libsvm's model file: f(x) = Σ coefᵢ k(svᵢ, x) − ρ, positive for the first label it lists.
  const rho = Number(/^rho (\S+)$/m.exec(text)![1]);
  const firstLabel = Number(/^label (\d+)/m.exec(text)![1]);
  const vectors = text
    .split(/^SV$/m)[1]!
    .trim()
    .split('\n')
    .map((line) => {
      const [coef, ...features] = line.trim().split(/\s+/);
      const value = (n: number) => Number(features.find((f) => f.startsWith(`${n}:`))?.slice(2) ?? 0);
      return { coef: Number(coef), x: value(1), y: value(2) };
    });
  const sign = firstLabel === 1 ? 1 : -1;
  return async (x: Float32Array) => {
    const out = new Float64Array(x.length / 2);
    for (let p = 0; p < out.length; p++) {
      let sum = -rho;
      for (const v of vectors) sum += v.coef * Math.exp(-gamma * ((x[2 * p]! - v.x) ** 2 + (x[2 * p + 1]! - v.y) ** 2));
      out[p] = sign * sum;
    }
    return out;
  };
}

const LABELS = { logistic: 'Logistic regression', svm: 'RBF-kernel SVM', network: 'Neural network' } as const;

let cached: Promise<BoundaryFigureData> | undefined;

/** Trains the three models once per process (the build embeds the figure once). */
export function boundaryData(seed = SEED): Promise<BoundaryFigureData> {
  if (seed !== SEED) return computeBoundaries(seed);
  return (cached ??= computeBoundaries(seed));
}

async function computeBoundaries(seed: number): Promise<BoundaryFigureData> {
  await selectBackend('cpu');
  // The plain JavaScript backend greets its first tensor in Node with advice to install tfjs-node.
  const { warn } = console;
  console.warn = () => {};
  tf.tensor1d([0]).dispose();
  console.warn = warn;
  const moons = makeMoons(SETUP.points, SETUP.noise, seed);
  const fresh = makeMoons(SETUP.testPoints, SETUP.noise, deriveSeed(seed, 'test'));
  const accuracyOf = (values: Float64Array, data: Moons) =>
    data.labels.reduce((n, label, i) => n + ((values[i]! > 0 ? 1 : 0) === label ? 1 : 0), 0) / data.labels.length;
  const { grid, points } = gridPoints();
  const decide = { logistic: await logistic(moons, seed), svm: await svm(moons), network: await network(moons, seed) };
  const boundaries: Boundary[] = [];
  for (const model of ['logistic', 'svm', 'network'] as const) {
    const trainAccuracy = accuracyOf(await decide[model](moons.x), moons);
    const testAccuracy = accuracyOf(await decide[model](fresh.x), fresh);
    const sampled: Grid = { ...grid, values: await decide[model](points) };
    boundaries.push({ model, label: LABELS[model], trainAccuracy, testAccuracy, rings: zeroRings(sampled), grid: sampled });
  }
  return { moons, boundaries };
}

/** One boundary panel's width: two panels a row in the 400 px picture, the third below. */
const PANEL_WIDTH = 190;
const COLUMNS = 2;
/** renderSvg's width for a faceted chart is one panel's plus this gutter, which withWidth (src/charts/size.ts) takes off again. */
const FACET_GUTTER = 70;

/** A panel's two-line header: the model, and how many training and fresh points it gets right. */
const panelName = (b: Boundary) => `${b.label}|train ${formatPercent(b.trainAccuracy)} · new ${formatPercent(b.testAccuracy)}`;

/** The model that scores best by an accuracy (the first, on a tie). */
export function best(boundaries: Boundary[], by: 'trainAccuracy' | 'testAccuracy'): Boundary {
  return boundaries.reduce((a, b) => (b[by] > a[by] ? b : a));
}

/** The figure: three panels, the same points, each model's boundary and the side it calls orange. */
export async function boundaryFigure(): Promise<FigureBuild> {
  const { moons, boundaries } = await boundaryData();
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const rows: Record<string, unknown>[] = [];
  for (const b of boundaries) {
    const panel = panelName(b);
    b.rings.forEach((ring, r) => ring.concat([ring[0]!]).forEach(([x, y], o) => rows.push({ panel, kind: 'ring', ring: r, o, x: round(x), y: round(y) })));
    moons.labels.forEach((label, i) => rows.push({ panel, kind: 'point', cls: `class ${label}`, x: round(moons.x[2 * i]!), y: round(moons.x[2 * i + 1]!) }));
  }
  const panels = boundaries.map(panelName);
  const x = { field: 'x', type: 'quantitative', scale: { domain: SETUP.x, nice: false }, axis: null } as const;
  const y = { field: 'y', type: 'quantitative', scale: { domain: SETUP.y, nice: false }, axis: null } as const;
  const [fits, generalises] = [best(boundaries, 'trainAccuracy'), best(boundaries, 'testAccuracy')];
  const name = (b: Boundary) => (b.model === 'network' ? `Neural network (${SETUP.network.hidden.length} hidden layers of ${SETUP.network.hidden.join(' and ')} units)` : b.label);
  const description =
    `Three panels, one per model, each showing the same ${moons.labels.length} training points of two interleaved half-moons ` +
    `(blue circles and orange squares) and the line where the model's decision changes. ` +
    boundaries
      .map((b) => `${name(b)}: ${b.model === 'logistic' ? 'a straight line, the only boundary a linear model can draw' : 'a curved line'}; it classifies ${formatPercent(b.trainAccuracy)} of the training points and ${formatPercent(b.testAccuracy)} of ${formatCount(SETUP.testPoints)} new points from the same moons correctly`)
      .join('. ') +
    `. Most training points right: ${fits.label}; most new points right: ${generalises.label}. The models were trained for this page when the site was built.`;
  const spec: TopLevelSpec = {
    ...chartHead(description, rows),
    facet: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelExpr: "split(datum.value, '|')", labelColor: 'currentColor', labelFontSize: 12, labelLimit: PANEL_WIDTH + 10, labelPadding: 4 } },
    columns: COLUMNS,
    spacing: { column: 10, row: 6 },
    spec: {
      width: PANEL_WIDTH,
      height: Math.round((PANEL_WIDTH * (SETUP.y[1] - SETUP.y[0])) / (SETUP.x[1] - SETUP.x[0])),
      view: { stroke: 'currentColor', strokeOpacity: 0.35 },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'ring'" }],
          mark: { type: 'line', fill: SERIES_COLORS[1], fillOpacity: 0.16, stroke: 'currentColor', strokeWidth: 1.5, clip: true },
          encoding: { x, y, detail: { field: 'ring' }, order: { field: 'o' } },
        },
        {
          transform: [{ filter: "datum.kind === 'point'" }],
          mark: { type: 'point', size: 30, filled: true, opacity: 0.9 },
          encoding: {
            x,
            y,
            color: { field: 'cls', type: 'nominal', scale: { domain: ['class 0', 'class 1'], range: [SERIES_COLORS[0], SERIES_COLORS[1]] }, legend: null },
            shape: { field: 'cls', type: 'nominal', scale: { domain: ['class 0', 'class 1'], range: ['circle', 'square'] }, legend: null },
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
  return { svg: await renderSvg(spec, PANEL_WIDTH + FACET_GUTTER), description };
}
