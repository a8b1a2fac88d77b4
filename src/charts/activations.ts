/** Charts for `activations`: training curves, gradient norms per layer, the functions themselves. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatPercent } from './format.ts';
import { meanAndRange } from './spread.ts';
import type { ChartBuild } from './types.ts';

const ORDER = ['sigmoid', 'tanh', 'relu'];
const depthLabel = (d: number) => `${d} hidden layer${d === 1 ? '' : 's'}`;

export function trainingCurves(result: ResultFile): ChartBuild {
  const data = result.rows
    .filter((r) => r.kind === 'epoch')
    .map((r) => ({ activation: String(r.activation), depth: Number(r.depth), depthLabel: depthLabel(Number(r.depth)), seed: Number(r.seed), epoch: Number(r.epoch), trainError: Number(r.trainError) }));
  const depths = [...new Set(data.map((d) => d.depth))].sort((a, b) => a - b);
  const last = Math.max(...data.map((d) => d.epoch));
  const mean = (a: string, depth: number) => {
    const v = data.filter((d) => d.activation === a && d.depth === depth && d.epoch === last).map((d) => d.trainError);
    return v.reduce((x, y) => x + y, 0) / v.length;
  };
  const description =
    `Training error against epochs of plain SGD for networks with ${depths.join(', ')} hidden layers, one panel per depth, ` +
    `one line per activation (mean over seeds, range shaded). After ${last} epochs: ` +
    depths.map((depth) => `${depthLabel(depth)}: ${ORDER.map((a) => `${a} ${formatPercent(mean(a, depth))}`).join(', ')}`).join('; ') +
    '.';
  return {
    description,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      description,
      data: { values: data },
      facet: { row: { field: 'depthLabel', type: 'ordinal', sort: depths.map(depthLabel), title: null, header: { labelColor: 'currentColor', labelFontSize: 13, labelFontWeight: 600, labelAngle: 0, labelAlign: 'left', labelOrient: 'top' } } },
      spec: {
        width: 'container',
        height: 140,
        transform: [
          meanAndRange('trainError', ['activation', 'depthLabel', 'epoch']),
        ],
        encoding: {
          x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'Epoch' },
          color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
        },
        layer: [
          // Spread over seeds, worst to best.
          { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 3 }, title: 'Training error' }, y2: { field: 'high' } } },
          {
            mark: { type: 'line', point: { size: 20 } },
            encoding: {
              y: { field: 'mean', type: 'quantitative' },
              tooltip: [
                { field: 'activation', title: 'Activation' },
                { field: 'depthLabel', title: 'Depth' },
                { field: 'epoch', title: 'Epoch' },
                { field: 'mean', title: 'Mean training error', format: '.1%' },
                { field: 'low', title: 'Best seed', format: '.1%' },
                { field: 'high', title: 'Worst seed', format: '.1%' },
              ],
            },
          },
        ],
      },
      resolve: { scale: { x: 'shared' } },
    },
  };
}

export function gradientNorms(result: ResultFile): ChartBuild {
  const deepest = Math.max(...result.rows.filter((r) => r.kind === 'gradient').map((r) => Number(r.depth)));
  const data = result.rows
    .filter((r) => r.kind === 'gradient' && r.depth === deepest && r.epoch === 0)
    .map((r) => ({ activation: String(r.activation), layer: Number(r.layer), seed: Number(r.seed), gradientNorm: Math.max(Number(r.gradientNorm), 1e-12) }));
  const ratio = (a: string) => result.summary[`gradientRatioAtInit.${a}.${deepest}`];
  const description =
    `Size of the gradient reaching each weight layer of a network with ${deepest} hidden layers at initialisation, ` +
    `from the input side (layer 1) to the output (layer ${deepest + 1}), log scale, one line per activation. ` +
    `The first layer receives ${ORDER.filter((a) => ratio(a) !== undefined).map((a) => `${ratio(a)!.toPrecision(2)} times the last layer's gradient with ${a}`).join(', ')}.`;
  return {
    description,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      description,
      width: 'container',
      height: 260,
      data: { values: data },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'layer', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'Layer (1 = nearest the input)' },
        y: { aggregate: 'mean', field: 'gradientNorm', type: 'quantitative', scale: { type: 'log' }, axis: { format: '.0e', tickCount: 4 }, title: 'Gradient norm (log scale)' },
        color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
        tooltip: [
          { field: 'activation', title: 'Activation' },
          { field: 'layer', title: 'Layer' },
          { aggregate: 'mean', field: 'gradientNorm', title: 'Mean gradient norm', format: '.3e' },
        ],
      },
    },
  };
}

export function activationFunctions(result: ResultFile): ChartBuild {
  const data = result.rows
    .filter((r) => r.kind === 'curve')
    .flatMap((r) => [
      { activation: String(r.activation), x: Number(r.x), y: Number(r.value), what: 'the function f(x)' },
      { activation: String(r.activation), x: Number(r.x), y: Number(r.derivative), what: "its slope f′(x)" },
    ]);
  const description =
    `The sigmoid, tanh and ReLU functions (top) and their slopes (bottom) for x from -6 to 6. ` +
    `The sigmoid's slope is at most 0.25 (at x = 0) and near zero beyond |x| = 4; tanh's is at most 1; ` +
    `ReLU's is exactly 1 for every positive input and 0 for negative ones.`;
  return {
    description,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      description,
      data: { values: data },
      facet: { row: { field: 'what', type: 'nominal', sort: ['the function f(x)', "its slope f′(x)"], title: null, header: { labelColor: 'currentColor', labelFontSize: 13, labelAngle: 0, labelAlign: 'left', labelOrient: 'top' } } },
      spec: {
        width: 'container',
        height: 150,
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'x' },
          y: { field: 'y', type: 'quantitative', title: null },
          color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
          tooltip: [
            { field: 'activation', title: 'Activation' },
            { field: 'x', title: 'x', format: '.1f' },
            { field: 'y', title: 'Value', format: '.3f' },
          ],
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

