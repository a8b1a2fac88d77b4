/**
 * The sigmoid's saturation: σ and its slope σ′ beside ReLU and its slope, the region where the sigmoid's
 * slope is under a tenth of its best shaded, and the top hidden layer of our long-run sigmoid network
 * placed on the curve, at the start and at its most saturated. The curves are the activations
 * experiment's own (tfjs's sigmoid and ReLU and their gradients, generated/activations.json); the layer's
 * mean output is the saturation experiment's measurement (generated/saturation.json).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatNumber, formatScientific } from '../charts/format.ts';
import { renderSvg } from '../charts/render.ts';
import { SERIES_COLORS } from '../charts/theme.ts';
import { chartHead } from '../charts/types.ts';
import { loadResult } from '../lib/results.ts';
import type { FigureBuild } from './types.ts';

/** A unit is drawn as saturated where the sigmoid's slope is below this fraction of its best, ¼. */
export const SATURATED_FRACTION = 0.1;

export interface SaturationFacts {
  /** |x| beyond which σ′(x) < SATURATED_FRACTION × max σ′, read off the experiment's curve. */
  saturatedBeyond: number;
  maxSlope: number;
  rate: number;
  layer: number;
  /** The top hidden layer's mean output, where σ would put a unit with that output, and its slope there. */
  start: { epoch: number; output: number; x: number; slope: number };
  lowest: { epoch: number; output: number; x: number; slope: number };
}

/** σ⁻¹: the input at which a sigmoid unit outputs `output`. */
const logit = (output: number) => Math.log(output / (1 - output));

export function saturationFacts(activations: ResultFile, saturation: ResultFile): SaturationFacts {
  const sigmoid = activations.rows.filter((r) => r.kind === 'curve' && r.activation === 'sigmoid');
  const maxSlope = Math.max(...sigmoid.map((r) => Number(r.derivative)));
  const unsaturated = sigmoid.filter((r) => Number(r.derivative) >= SATURATED_FRACTION * maxSlope).map((r) => Math.abs(Number(r.x)));
  // The summary names the rate whose run escaped; its top layer is the one Glorot and Bengio watch.
  const rate = Number(Object.keys(saturation.summary).find((k) => /^escapeEpoch\.\d+$/.test(k))?.split('.')[1] ?? Math.max(...(saturation.config.rates as number[])));
  const probes = saturation.rows.filter((r) => r.kind === 'activation' && Number(r.rate) === rate);
  const layer = Math.max(...probes.map((r) => Number(r.layer)));
  const top = probes.filter((r) => Number(r.layer) === layer).sort((a, b) => Number(a.epoch) - Number(b.epoch));
  const at = (row: (typeof top)[number]) => {
    const output = Number(row.meanActivation);
    return { epoch: Number(row.epoch), output, x: logit(output), slope: output * (1 - output) };
  };
  const lowest = top.reduce((low, r) => (Number(r.meanActivation) < Number(low.meanActivation) ? r : low));
  return { saturatedBeyond: Math.max(...unsaturated), maxSlope, rate, layer, start: at(top[0]!), lowest: at(lowest) };
}

export async function saturationFigure(): Promise<FigureBuild> {
  const activations = loadResult('activations');
  const saturation = loadResult('saturation');
  const facts = saturationFacts(activations, saturation);
  const curves = activations.rows
    .filter((r) => r.kind === 'curve' && (r.activation === 'sigmoid' || r.activation === 'relu'))
    .map((r) => ({ activation: r.activation === 'relu' ? 'ReLU' : 'sigmoid σ', x: Number(r.x), value: Number(r.value), slope: Number(r.derivative) }));
  const xs = curves.map((c) => c.x);
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  const s = facts.saturatedBeyond;
  const shaded = [{ from: lo, to: -s }, { from: s, to: hi }];
  const marks = [
    { ...facts.start, label: `start: slope ${formatNumber(facts.start.slope, 2)}` },
    { ...facts.lowest, label: `epoch ${facts.lowest.epoch}: slope ${formatScientific(facts.lowest.slope)}` },
  ];
  const color = { field: 'activation', type: 'nominal', scale: { domain: ['sigmoid σ', 'ReLU'], range: [SERIES_COLORS[0], SERIES_COLORS[2]] }, title: null } as const;
  const x = { field: 'x', type: 'quantitative', title: 'input x', scale: { domain: [lo, hi], nice: false } } as const;
  const xTop = { ...x, title: null };
  const panel = (field: 'value' | 'slope', title: string, domain: [number, number], pointField: 'output' | 'slope') => ({
    height: 110,
    layer: [
      {
        data: { values: shaded },
        mark: { type: 'rect', color: 'currentColor', opacity: 0.09 },
        encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
      },
      {
        data: { values: curves },
        mark: { type: 'line', strokeWidth: 2.5, clip: true },
        encoding: { x: field === 'value' ? xTop : x, y: { field, type: 'quantitative', title, scale: { domain, nice: false }, axis: { tickCount: 3 } }, color },
      },
      {
        data: { values: marks },
        mark: { type: 'point', filled: true, size: 40, color: 'currentColor', shape: 'diamond' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: pointField, type: 'quantitative' } },
      },
      ...(field === 'slope'
        ? [
            {
              data: { values: marks },
              mark: { type: 'text', fontSize: 11, align: 'left', baseline: 'bottom', dx: 4, dy: -3, color: 'currentColor' },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: pointField, type: 'quantitative' }, text: { field: 'label' } },
            },
            {
              data: { values: [{ x: -(s + hi) / 2, y: domain[1] }, { x: (s + hi) / 2, y: domain[1] }] },
              mark: { type: 'text', fontSize: 11, baseline: 'top', dy: 3, text: 'saturated', color: 'currentColor' },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
            },
          ]
        : []),
    ],
  });
  const description =
    `Two panels over inputs x from ${lo} to ${hi}. Top: the sigmoid σ(x), a smooth step from 0 to 1, and ReLU, zero for negative x and x itself for positive x. ` +
    `Bottom: their slopes. The sigmoid's slope is at most ${formatNumber(facts.maxSlope, 2)}, at x = 0, and falls below a tenth of that beyond |x| = ${formatNumber(s, 1)} (shaded: saturated); ` +
    `ReLU's slope is 0 for negative inputs and 1 for positive ones, however large. ` +
    `Marked: the top hidden layer (layer ${facts.layer}) of the ${saturation.summary['depth']}-hidden-layer sigmoid network trained at learning rate ${facts.rate}, placed where a unit with the layer's mean output sits on the curve. ` +
    `At the start its mean output was ${formatNumber(facts.start.output, 2)}, slope ${formatNumber(facts.start.slope, 2)}; at epoch ${facts.lowest.epoch} it was ${formatScientific(facts.lowest.output)}, ` +
    `deep in the saturated region at x ≈ ${formatNumber(facts.lowest.x, 1)}, slope ${formatScientific(facts.lowest.slope)}: ${formatNumber(facts.start.slope / facts.lowest.slope, 0)} times less signal passed back.`;
  const spec = {
    ...chartHead(description),
    vconcat: [panel('value', 'f(x)', [0, 1.5], 'output'), panel('slope', 'slope f′(x)', [0, 1.1], 'slope')],
    spacing: 8,
    config: { legend: { orient: 'top', direction: 'horizontal', columns: 2 } },
  } as unknown as TopLevelSpec;
  return { svg: await renderSvg(spec), description };
}
