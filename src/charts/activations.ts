/** Charts for `activations`: validation curves at best and shared rates, the rate sweep, gradient sizes per layer, the functions themselves. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatPercent, formatScientific } from './format.ts';
import { meanAndRange } from './spread.ts';
import { chartHead, type ChartBuild } from './types.ts';

/** Contenders in the order drawn: the Glorot-initialised ones by activation name, then ReLU with He initialisation. */
const ORDER = ['sigmoid', 'tanh', 'relu', 'relu-he'];
/** A row's contender: its own name, or (files before protocol v3) its activation. */
const contenderOf = (r: Record<string, unknown>) => String(r.contender ?? r.activation);
/** The contenders a file has, in ORDER. */
const contendersIn = (result: ResultFile) => ORDER.filter((name) => result.rows.some((r) => r.kind === 'epoch' && contenderOf(r) === name));
const depthLabel = (d: number) => `${d} hidden layer${d === 1 ? '' : 's'}`;

type Setting = 'best' | 'shared';

/** The rate each (activation, depth) is drawn at: its own best on validation, or the one shared rate. */
function rateOf(result: ResultFile, setting: Setting, activation: string, depth: number): number {
  return setting === 'best' ? Number(result.summary[`bestRate.${activation}.${depth}`]) : Number(result.config.sharedRate);
}

const facetHeader = { labelColor: 'currentColor', labelFontSize: 13, labelFontWeight: 600, labelAngle: 0, labelAlign: 'left', labelOrient: 'top' } as const;

/** Validation accuracy per epoch, one panel per depth, each activation at its best rate or at the shared rate. */
export function validationCurves(setting: Setting) {
  return (result: ResultFile): ChartBuild => {
    const data = result.rows
      .filter((r) => r.kind === 'epoch' && r.rate === rateOf(result, setting, contenderOf(r), Number(r.depth)))
      .map((r) => ({
        activation: contenderOf(r),
        curve: setting === 'best' ? `${contenderOf(r)} (lr ${r.rate})` : contenderOf(r),
        depth: Number(r.depth),
        depthLabel: depthLabel(Number(r.depth)),
        seed: Number(r.seed),
        epoch: Number(r.epoch),
        valAccuracy: Number(r.valAccuracy),
      }));
    const depths = [...new Set(data.map((d) => d.depth))].sort((a, b) => a - b);
    const last = Math.max(...data.map((d) => d.epoch));
    const mean = (a: string, depth: number) => {
      const v = data.filter((d) => d.activation === a && d.depth === depth && d.epoch === last).map((d) => d.valAccuracy);
      return v.reduce((x, y) => x + y, 0) / v.length;
    };
    const rateWords = setting === 'best' ? 'each contender at the learning rate that did best on validation (best-so-far accuracy)' : `every contender at the same learning rate, ${result.config.sharedRate}`;
    const order = contendersIn(result);
    const description =
      `Validation accuracy against epochs of plain SGD for networks with ${depths.join(', ')} hidden layers, one panel per depth, ` +
      `one line per activation (relu-he: ReLU with He initialisation; the others Glorot), ${rateWords} (mean over seeds, range shaded). After ${last} epochs: ` +
      depths
        .map((depth) => `${depthLabel(depth)}: ${order.map((a) => `${a}${setting === 'best' ? ` (lr ${rateOf(result, setting, a, depth)})` : ''} ${formatPercent(mean(a, depth))}`).join(', ')}`)
        .join('; ') +
      '.';
    return {
      description,
      spec: {
        ...chartHead(description, data),
        facet: { row: { field: 'depthLabel', type: 'ordinal', sort: depths.map(depthLabel), title: null, header: facetHeader } },
        spec: {
          height: 140,
          transform: [meanAndRange('valAccuracy', ['activation', 'curve', 'depthLabel', 'epoch'])],
          encoding: {
            x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'Epoch' },
            color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
          },
          layer: [
            // Spread over seeds, worst to best.
            { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 3 }, title: 'Validation accuracy' }, y2: { field: 'high' } } },
            {
              mark: { type: 'line', point: { size: 20 } },
              encoding: {
                y: { field: 'mean', type: 'quantitative' },
                tooltip: [
                  { field: 'curve', title: 'Activation' },
                  { field: 'depthLabel', title: 'Depth' },
                  { field: 'epoch', title: 'Epoch' },
                  { field: 'mean', title: 'Mean validation accuracy', format: '.1%' },
                  { field: 'low', title: 'Worst seed', format: '.1%' },
                  { field: 'high', title: 'Best seed', format: '.1%' },
                ],
              },
            },
          ],
        },
        resolve: { scale: { x: 'shared' } },
      },
    };
  };
}

/** The learning-rate sweep: best-so-far validation accuracy over the epochs against the rate, per depth. */
export function rateSweep(result: ResultFile): ChartBuild {
  const contenders = (result.config.contenders as { name: string; rates: number[] }[] | undefined) ??
    (result.config.activations as string[]).map((name) => ({ name, rates: result.config.rates as number[] }));
  const rates = [...new Set(contenders.flatMap((c) => c.rates))].sort((a, b) => a - b);
  const depths = result.config.depths as number[];
  const data = contenders.flatMap(({ name, rates }) =>
    depths.flatMap((depth) =>
      rates.map((rate) => ({ activation: name, depth, depthLabel: depthLabel(depth), rate, valAccuracy: result.summary[`sweep.${name}.${depth}.${rate}`] ?? null })),
    ),
  );
  const description =
    `Best validation accuracy within ${result.config.epochs} epochs (each seed's best epoch, mean over seeds) against the learning rate (log scale, ${rates.join(', ')}; each contender at its own rates), one panel per depth, one line per contender. Best rates: ` +
    depths.map((depth) => `${depthLabel(depth)}: ${contenders.map((c) => `${c.name} ${result.summary[`bestRate.${c.name}.${depth}`]}`).join(', ')}`).join('; ') +
    '. A diverged run counts as chance (10%).';
  return {
    description,
    spec: {
      ...chartHead(description, data),
      facet: { row: { field: 'depthLabel', type: 'ordinal', sort: depths.map(depthLabel), title: null, header: facetHeader } },
      spec: {
        height: 120,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, axis: { values: rates, format: '~g' }, title: 'Learning rate (plain SGD, log scale)' },
          y: { field: 'valAccuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 3 }, title: 'Best validation accuracy' },
          color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
          tooltip: [
            { field: 'activation', title: 'Activation' },
            { field: 'depthLabel', title: 'Depth' },
            { field: 'rate', title: 'Learning rate' },
            { field: 'valAccuracy', title: 'Mean best validation accuracy', format: '.1%' },
          ],
        },
      },
    },
  };
}

export function gradientNorms(result: ResultFile): ChartBuild {
  const deepest = Math.max(...result.rows.filter((r) => r.kind === 'gradient').map((r) => Number(r.depth)));
  const shared = Number(result.config.sharedRate);
  // At initialisation the weights are the same at every rate: the shared rate's rows stand for all.
  const data = result.rows
    .filter((r) => r.kind === 'gradient' && r.depth === deepest && r.epoch === 0 && r.rate === shared)
    .map((r) => ({ activation: contenderOf(r), layer: Number(r.layer), seed: Number(r.seed), gradientRms: Math.max(Number(r.gradientRms), 1e-12) }));
  const ratio = (a: string) => result.summary[`gradientRatioAtInit.${a}.${deepest}`];
  const description =
    `Size of the gradient per weight (root mean square) reaching each weight layer of a network with ${deepest} hidden layers at initialisation, ` +
    `from the input side (layer 1) to the output (layer ${deepest + 1}), log scale, one line per activation (relu-he: ReLU with He initialisation). ` +
    `Per weight, the first layer receives this fraction of the last layer's gradient: ${ORDER.filter((a) => ratio(a) !== undefined).map((a) => `${formatScientific(ratio(a)!)} with ${a}`).join(', ')}.`;
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 260,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'layer', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'Layer (1 = nearest the input)' },
        y: { aggregate: 'mean', field: 'gradientRms', type: 'quantitative', scale: { type: 'log' }, axis: { format: '.0e', tickCount: 4 }, title: 'Gradient per weight (RMS, log scale)' },
        color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
        tooltip: [
          { field: 'activation', title: 'Activation' },
          { field: 'layer', title: 'Layer' },
          { aggregate: 'mean', field: 'gradientRms', title: 'Mean gradient RMS per weight', format: '.3e' },
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
      ...chartHead(description, data),
      facet: { row: { field: 'what', type: 'nominal', sort: ['the function f(x)', "its slope f′(x)"], title: null, header: { labelColor: 'currentColor', labelFontSize: 13, labelAngle: 0, labelAlign: 'left', labelOrient: 'top' } } },
      spec: {
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


/**
 * The mechanism where it acts: per hidden layer of the deepest network at initialisation, the backward
 * signal ∂ℓ/∂z (gradient of the loss with respect to the layer's pre-activations) and the activations,
 * each as a root mean square over the probe batch, mean over seeds (experiments/lib/signals.ts).
 */
export function layerSignals(result: ResultFile): ChartBuild {
  const signals = result.rows.filter((r) => r.kind === 'signal');
  const deepest = Math.max(...signals.map((r) => Number(r.depth)));
  const shared = Number(result.config.sharedRate);
  const panels = { backward: 'backward signal ∂ℓ/∂z (RMS)', forward: 'activations (RMS)' };
  const data = signals
    .filter((r) => r.depth === deepest && r.epoch === 0 && r.rate === shared)
    .flatMap((r) => [
      { activation: contenderOf(r), layer: Number(r.layer), seed: Number(r.seed), what: panels.backward, value: Math.max(Number(r.backwardRms), 1e-12) },
      { activation: contenderOf(r), layer: Number(r.layer), seed: Number(r.seed), what: panels.forward, value: Math.max(Number(r.activationRms), 1e-12) },
    ]);
  const ratio = (kind: 'backward' | 'activation', name: string) => result.summary[`${kind}RatioAtInit.${name}.${deepest}`];
  const names = ORDER.filter((a) => ratio('backward', a) !== undefined);
  const description =
    `Two panels for a network with ${deepest} hidden layers at initialisation, hidden layer 1 (nearest the input) to ${deepest}, log scale, one line per activation (relu-he: ReLU with He initialisation), mean over seeds. ` +
    `Top: the backward signal, the gradient of each example's loss with respect to the layer's pre-activations; the first hidden layer receives this fraction of the top hidden layer's: ${names.map((a) => `${formatScientific(ratio('backward', a)!)} with ${a}`).join(', ')}. ` +
    `Bottom: the activations; the top hidden layer's are this multiple of the first's: ${names.map((a) => `${formatScientific(ratio('activation', a)!)} with ${a}`).join(', ')}.`;
  return {
    description,
    spec: {
      ...chartHead(description, data),
      facet: { row: { field: 'what', type: 'nominal', sort: [panels.backward, panels.forward], title: null, header: facetHeader } },
      spec: {
        height: 160,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'layer', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'Hidden layer (1 = nearest the input)' },
          y: { aggregate: 'mean', field: 'value', type: 'quantitative', scale: { type: 'log' }, axis: { format: '.0e', tickCount: 4 }, title: 'RMS (log scale)' },
          color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
          tooltip: [
            { field: 'activation', title: 'Activation' },
            { field: 'what', title: 'Measure' },
            { field: 'layer', title: 'Hidden layer' },
            { aggregate: 'mean', field: 'value', title: 'Mean RMS', format: '.3e' },
          ],
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}
