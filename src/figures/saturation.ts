/**
 * The sigmoid's saturation: σ and its slope σ′, the region where the slope is under a tenth of its best
 * shaded, and the top hidden layer of the saturation experiment's sigmoid network placed on the curve, at
 * the start, at its most saturated and at the last epoch. The curve is the activations experiment's own
 * (tfjs's sigmoid and its gradient, generated/activations.json); the layer's mean output is the saturation
 * experiment's measurement (generated/saturation.json). (ReLU and tanh, with their slopes, are drawn in the glossary's activations chart.)
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
  /**
   * The top hidden layer's mean output a, where σ would put a unit with that output, and σ′ there, a(1 − a).
   * That is not the layer's mean slope; each unit's slope a(1 − a) is at most its output and at most ¼,
   * so the mean slope is at most `bound`, min(a, ¼).
   */
  start: Marker;
  lowest: Marker;
  last: Marker;
}

export interface Marker {
  epoch: number;
  output: number;
  x: number;
  slope: number;
  bound: number;
}

/** The network's settings as the caption states them, read from the experiment's config. */
export function saturationSetup(saturation: ResultFile = loadResult('saturation')): { depth: number; epochs: number } {
  const config = saturation.config as { depth: number; epochs: number };
  return { depth: config.depth, epochs: config.epochs };
}

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
/** Small counts as words, as prose writes them. */
export const inWords = (n: number) => WORDS[n] ?? String(n);

export function saturationCaption(): string {
  const { depth, epochs } = saturationSetup();
  return (
    'The slope is what back-propagation multiplies by at each layer. Beyond the shaded edges the sigmoid’s slope is under a tenth of its best. ' +
    `The diamonds mark the top hidden layer of the ${inWords(depth)}-hidden-layer sigmoid network trained for ${epochs} epochs, below: ` +
    'at the start, at its most saturated and at the last epoch.'
  );
}

/** σ⁻¹: the input at which a sigmoid unit outputs `output`. */
const logit = (output: number) => Math.log(output / (1 - output));

export function saturationFacts(activations: ResultFile, saturation: ResultFile): SaturationFacts {
  const sigmoid = activations.rows.filter((r) => r.kind === 'curve' && r.activation === 'sigmoid');
  const maxSlope = Math.max(...sigmoid.map((r) => Number(r.derivative)));
  const unsaturated = sigmoid.filter((r) => Number(r.derivative) >= SATURATED_FRACTION * maxSlope).map((r) => Math.abs(Number(r.x)));
  // The sigmoid network at its largest rate (the one that escapes); its top layer is the one Glorot and
  // Bengio watch, its mean output averaged over seeds per epoch, as the summary's topActivation keys are
  // (experiments/summaries/saturation.ts topLayerMeans).
  const sigmoidRows = saturation.rows.filter((r) => r.kind === 'activation' && (r.activation ?? 'sigmoid') === 'sigmoid');
  const rate = Math.max(...sigmoidRows.map((r) => Number(r.rate)));
  const probes = sigmoidRows.filter((r) => Number(r.rate) === rate);
  const layer = Math.max(...probes.map((r) => Number(r.layer)));
  const topRows = probes.filter((r) => Number(r.layer) === layer);
  const top = [...new Set(topRows.map((r) => Number(r.epoch)))]
    .sort((a, b) => a - b)
    .map((epoch) => {
      const values = topRows.filter((r) => Number(r.epoch) === epoch).map((r) => Number(r.meanActivation));
      return { epoch, meanActivation: values.reduce((a, b) => a + b, 0) / values.length };
    });
  const at = (row: (typeof top)[number]): Marker => {
    const output = row.meanActivation;
    return { epoch: row.epoch, output, x: logit(output), slope: output * (1 - output), bound: Math.min(output, maxSlope) };
  };
  const lowest = top.reduce((low, r) => (r.meanActivation < low.meanActivation ? r : low));
  return { saturatedBeyond: Math.max(...unsaturated), maxSlope, rate, layer, start: at(top[0]!), lowest: at(lowest), last: at(top.at(-1)!) };
}

/** A slope bound as the figure writes it: two significant figures, small ones in powers of ten. */
const slopeText = (v: number) => formatScientific(v);

export async function saturationFigure(): Promise<FigureBuild> {
  const activations = loadResult('activations');
  const saturation = loadResult('saturation');
  const facts = saturationFacts(activations, saturation);
  const { depth } = saturationSetup(saturation);
  const curve = activations.rows
    .filter((r) => r.kind === 'curve' && r.activation === 'sigmoid')
    .map((r) => ({ x: Number(r.x), value: Number(r.value), slope: Number(r.derivative) }));
  const xs = curve.map((c) => c.x);
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  const s = facts.saturatedBeyond;
  const shaded = [{ from: lo, to: -s }, { from: s, to: hi }];
  const markers = [
    { ...facts.start, label: `start: slope at most ${slopeText(facts.start.bound)}` },
    { ...facts.lowest, label: `epoch ${facts.lowest.epoch}: slope at most ${slopeText(facts.lowest.bound)}` },
    { ...facts.last, label: `epoch ${facts.last.epoch}: slope at most ${slopeText(facts.last.bound)}` },
  ];
  const x = { field: 'x', type: 'quantitative', title: 'input x', scale: { domain: [lo, hi], nice: false } } as const;
  // The panels share the input axis: its numbers once, under the lower panel.
  const xTop = { ...x, title: null, axis: { labels: false, ticks: false } };
  const slopeTop = Math.ceil(facts.maxSlope * 12) / 10;
  const panel = (field: 'value' | 'slope', title: string, domain: [number, number], pointField: 'output' | 'slope') => ({
    height: 110,
    layer: [
      {
        data: { values: shaded },
        mark: { type: 'rect', color: 'currentColor', opacity: 0.09 },
        encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
      },
      {
        data: { values: curve },
        mark: { type: 'line', strokeWidth: 2.5, clip: true, color: SERIES_COLORS[0] },
        encoding: { x: field === 'value' ? xTop : x, y: { field, type: 'quantitative', title, scale: { domain, nice: false }, axis: { tickCount: 3 } } },
      },
      {
        data: { values: markers },
        mark: { type: 'point', filled: true, size: 40, color: 'currentColor', shape: 'diamond' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: pointField, type: 'quantitative' } },
      },
      ...(field === 'slope'
        ? [
            {
              data: { values: markers },
              mark: { type: 'text', fontSize: 11, align: 'left', baseline: 'bottom', dx: 4, dy: -3, color: 'currentColor' },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: pointField, type: 'quantitative' }, text: { field: 'label' } },
            },
          ]
        : [
            // Named in the top panel, where the curve leaves room: above it on the left, below it on the right.
            {
              data: { values: [{ x: -(s + hi) / 2, y: 0.7 }, { x: (s + hi) / 2, y: 0.3 }] },
              mark: { type: 'text', fontSize: 11, baseline: 'middle', text: ['sigmoid', 'saturated'], color: 'currentColor' },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
            },
          ]),
    ],
  });
  const { start, lowest, last } = facts;
  // Near 0 a unit's slope a(1 − a) is about its output a: the two numbers read the same there.
  const sameAsOutput = slopeText(lowest.slope) === slopeText(lowest.output);
  const description =
    `Two panels over inputs x from ${lo} to ${hi}: the sigmoid σ(x), a smooth step from 0 to 1, and below it its slope, at most ${formatNumber(facts.maxSlope, 2)} (at x = 0) and under a tenth of that beyond |x| = ${formatNumber(s, 1)} (shaded: sigmoid saturated). ` +
    `Diamonds: the top hidden layer of the ${inWords(depth)}-hidden-layer sigmoid network (learning rate ${facts.rate}), where a unit with the layer's mean output a (averaged over seeds) sits; the layer's mean slope is at most the smaller of a and ${formatNumber(facts.maxSlope, 2)}. ` +
    `Start: a = ${formatNumber(start.output, 2)}, slope at most ${formatNumber(start.bound, 2)}. ` +
    `Epoch ${lowest.epoch}: a = ${slopeText(lowest.output)}, slope at most ${slopeText(lowest.bound)}${sameAsOutput ? ' (near 0 the slope ≈ the output)' : ''}, x ≈ ${formatNumber(lowest.x, 1)}: a ceiling on that layer's mean slope about ${formatNumber(start.bound / lowest.bound, 0)} times lower than at the start (a bound, not a measured slope). ` +
    `Epoch ${last.epoch}, the last: recovered to a = ${formatNumber(last.output, 2)}, x ≈ ${formatNumber(last.x, 1)}, slope at most ${slopeText(last.bound)}.`;
  const spec = {
    ...chartHead(description),
    vconcat: [panel('value', 'σ(x)', [0, 1], 'output'), panel('slope', 'slope σ′(x)', [0, slopeTop], 'slope')],
    spacing: 8,
  } as unknown as TopLevelSpec;
  return { svg: await renderSvg(spec), description };
}
