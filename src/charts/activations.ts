/** Charts for `activations`: validation curves at best and shared rates, the rate sweep, gradient sizes per layer, the functions themselves. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatNumber, formatPercent, formatRange, formatScientific } from './format.ts';
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

/** Rates of a contender's sweep (files before protocol v3: one grid for all). */
function ratesOf(result: ResultFile, name: string): number[] {
  const contenders = result.config.contenders as { name: string; rates: number[] }[] | undefined;
  return contenders?.find((c) => c.name === name)?.rates ?? (result.config.rates as number[]);
}

/**
 * Whether every rate of the sweep left a contender at chance at this depth: then its "best" rate is only
 * the first of equals (every rate ties), and the text says so instead of naming it.
 */
function atChanceAtEveryRate(result: ResultFile, name: string, depth: number): boolean {
  const flag = result.summary[`untrainedAtEveryRate.${name}.${depth}`];
  if (flag !== undefined) return flag === 1;
  return ratesOf(result, name).every((rate) => Number(result.summary[`sweep.${name}.${depth}.${rate}`] ?? 0) < 0.2);
}

/** The rate each (activation, depth) is drawn at: its own best on validation, or the one shared rate. */
function rateOf(result: ResultFile, setting: Setting, activation: string, depth: number): number {
  return setting === 'best' ? Number(result.summary[`bestRate.${activation}.${depth}`]) : Number(result.config.sharedRate);
}

const facetHeader = { labelColor: 'currentColor', labelFontSize: 13, labelFontWeight: 600, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } as const;

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
    const average = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    const of = (a: string, depth: number) => data.filter((d) => d.activation === a && d.depth === depth);
    // Mean over seeds at the last epoch, and of each seed's best epoch (best-so-far, as the text quotes it).
    const lastEpoch = (a: string, depth: number) => average(of(a, depth).filter((d) => d.epoch === last).map((d) => d.valAccuracy));
    const bestEpoch = (a: string, depth: number) => {
      const rows = of(a, depth);
      return average([...new Set(rows.map((d) => d.seed))].map((seed) => Math.max(...rows.filter((d) => d.seed === seed).map((d) => d.valAccuracy))));
    };
    const rateWords = setting === 'best' ? 'each contender at the learning rate that did best on validation (best-so-far accuracy)' : `every contender at the same learning rate, ${result.config.sharedRate}`;
    const order = contendersIn(result);
    const rateNote = (a: string, depth: number) =>
      setting === 'shared' ? '' : atChanceAtEveryRate(result, a, depth) ? ` (no best rate, at chance at every rate: drawn at lr ${rateOf(result, setting, a, depth)})` : ` (lr ${rateOf(result, setting, a, depth)})`;
    const description =
      `Validation accuracy against epochs of plain SGD for networks with ${depths.join(', ')} hidden layers, one panel per depth, ` +
      `one line per activation (relu-he: ReLU with He initialisation; the others Glorot), ${rateWords} (mean over seeds, range shaded). ` +
      `Each pair of numbers below is the mean over seeds at the last epoch, ${last}, and the mean of each seed's best epoch (best-so-far, the figure the text quotes): ` +
      depths
        .map((depth) => `${depthLabel(depth)}: ${order.map((a) => `${a}${rateNote(a, depth)} ${formatPercent(lastEpoch(a, depth))} and ${formatPercent(bestEpoch(a, depth))}`).join(', ')}`)
        .join('; ') +
      '.';
    return {
      description,
      spec: {
        ...chartHead(description, data),
        // A point per epoch only in the live view, for its tooltips (render.ts staticMarks).
        usermeta: { staticPoints: false },
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
    depths
      .map((depth) => {
        const tied = contenders.filter((c) => atChanceAtEveryRate(result, c.name, depth));
        const ranked = contenders.filter((c) => !tied.includes(c)).map((c) => `${c.name} ${result.summary[`bestRate.${c.name}.${depth}`]}`);
        const ties = tied.map((c) => {
          const values = c.rates.map((rate) => Number(result.summary[`sweep.${c.name}.${depth}.${rate}`]));
          return `none for ${c.name}, at chance (${formatRange(Math.min(...values), Math.max(...values), formatPercent)}) at every rate`;
        });
        return `${depthLabel(depth)}: ${[...ranked, ...ties].join(', ')}`;
      })
      .join('; ') +
    '. A diverged run counts as chance (10%).';
  return {
    description,
    spec: {
      ...chartHead(description, data),
      facet: { row: { field: 'depthLabel', type: 'ordinal', sort: depths.map(depthLabel), title: null, header: facetHeader } },
      spec: {
        height: 140,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, axis: { values: rates, format: '~g' }, title: 'Learning rate (plain SGD, log scale)' },
          y: { field: 'valAccuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 3 }, title: 'Validation accuracy' },
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
 * The mechanism where it acts, three stacked panels for the deepest network at initialisation, mean over
 * seeds: per hidden layer the backward signal ∂ℓ/∂z (gradient of the loss with respect to the layer's
 * pre-activations) and the activations, each a root mean square over the probe batch
 * (experiments/lib/signals.ts); and per weight layer the gradient per weight (root mean square over the
 * layer's weights), which is their product: layer k's weights take hidden layer k − 1's activations (the
 * image, for k = 1) and layer k's backward signal; the last weight layer is the output layer's.
 * Drawn small: lines (a point per layer only in the live view), a few labelled ticks on each log axis,
 * the measure named in its panel's header rather than in a rotated axis title.
 */
export function layerSignals(result: ResultFile): ChartBuild {
  const signals = result.rows.filter((r) => r.kind === 'signal');
  const deepest = Math.max(...signals.map((r) => Number(r.depth)));
  const shared = Number(result.config.sharedRate);
  const panels = { backward: 'Backward signal ∂ℓ/∂z, RMS', forward: 'Activations, RMS', gradient: 'Gradient per weight, RMS' };
  const atInit = (r: ResultFile['rows'][number]) => r.depth === deepest && r.epoch === 0 && r.rate === shared;
  const rows = signals.filter(atInit);
  const gradients = result.rows.filter((r) => r.kind === 'gradient' && atInit(r));
  const row = (r: ResultFile['rows'][number], what: string, value: unknown) => ({ activation: contenderOf(r), layer: Number(r.layer), seed: Number(r.seed), what, value: Math.max(Number(value), 1e-12) });
  const data = [
    ...rows.flatMap((r) => [row(r, panels.backward, r.backwardRms), row(r, panels.forward, r.activationRms)]),
    ...gradients.map((r) => row(r, panels.gradient, r.gradientRms)),
  ];
  const description = describeSignals(result, rows, deepest);
  return {
    description,
    spec: {
      ...chartHead(description, data),
      // A point per layer only in the live view, for its tooltips (render.ts staticMarks).
      usermeta: { staticPoints: false },
      facet: { row: { field: 'what', type: 'nominal', sort: Object.values(panels), title: null, header: facetHeader } },
      spec: {
        height: 100,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'layer', type: 'quantitative', scale: { domain: [1, deepest + 1] }, axis: { tickMinStep: 1, format: 'd', grid: false }, title: 'Layer (input → output)' },
          y: { aggregate: 'mean', field: 'value', type: 'quantitative', scale: { type: 'log' }, axis: { labelExpr: "datum.value < 0.01 ? format(datum.value, '.0e') : format(datum.value, '~g')", tickCount: { expr: "domain('child_y')[0] < 1e-3 ? 4 : 2" } }, title: null },
          color: { field: 'activation', type: 'nominal', sort: ORDER, title: 'Activation' },
          tooltip: [
            { field: 'activation', title: 'Activation' },
            { field: 'what', title: 'Measure' },
            { field: 'layer', title: 'Layer' },
            { aggregate: 'mean', field: 'value', title: 'Mean RMS', format: '.3e' },
          ],
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

/**
 * The signals chart's text alternative, from the data: which contender's backward signal vanishes on its
 * way down and by how much per layer (mean, and range over seeds), how little the others lose, how the
 * activations change on their way up, and what reaches the first weight layer per weight.
 */
function describeSignals(result: ResultFile, rows: ResultFile['rows'], deepest: number): string {
  const names = ORDER.filter((name) => rows.some((r) => contenderOf(r) === name));
  const seeds = [...new Set(rows.map((r) => Number(r.seed)))];
  const at = (name: string, seed: number, layer: number) => rows.find((r) => contenderOf(r) === name && r.seed === seed && r.layer === layer)!;
  const steps = deepest - 1;
  /** Per layer, the factor by which the backward signal shrinks going down (or the activations going up): mean, and the seeds' range. */
  const factor = (kind: 'backward' | 'activation', name: string) => {
    const perSeed = seeds.map((seed) =>
      kind === 'backward'
        ? (Number(at(name, seed, 1).backwardRms) / Number(at(name, seed, deepest).backwardRms)) ** (1 / steps)
        : (Number(at(name, seed, deepest).activationRms) / Number(at(name, seed, 1).activationRms)) ** (1 / steps),
    );
    const mean = Number(result.summary[`${kind}PerLayerAtInit.${name}.${deepest}`]);
    return { mean, range: formatRange(Math.min(...perSeed), Math.max(...perSeed), formatNumber) };
  };
  const summary = (key: string) => Number(result.summary[key]);
  const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
  const [vanishing, ...kept] = [...names].sort((a, b) => factor('backward', a).mean - factor('backward', b).mean) as [string, ...string[]];
  kept.reverse();
  const [level, ...shrinking] = [...names].sort((a, b) => Math.abs(Math.log(factor('activation', a).mean)) - Math.abs(Math.log(factor('activation', b).mean))) as [string, ...string[]];
  const levelValues = Array.from({ length: deepest }, (_, i) => summary(`activationRms.init.${level}.${deepest}.${i + 1}`));
  const v = factor('backward', vanishing);
  return (
    `Three stacked panels for the network with ${deepest} hidden layers before training, layer 1 (nearest the input) to ${deepest + 1} (the output) across, log scales, ` +
    `one line per activation, mean over ${seeds.length} seeds (relu-he is ReLU with He initialisation, the others use Glorot's). ` +
    `Top, the backward signal ∂ℓ/∂z, which travels down from hidden layer ${deepest}: the ${vanishing}'s falls from ${formatScientific(summary(`backwardRms.init.${vanishing}.${deepest}.${deepest}`))} there ` +
    `to ${formatScientific(summary(`backwardRms.init.${vanishing}.${deepest}.1`))} at layer 1, a factor of ${formatNumber(v.mean)} per layer (seeds ${v.range})` +
    `${vanishing === 'sigmoid' ? ', just under the quarter that the chain rule allows a sigmoid layer' : ''}. ` +
    `The others lose far less on the way down: per layer, ${list(kept.map((n) => `${n} keeps ${formatNumber(factor('backward', n).mean)} (${factor('backward', n).range})`))}, ` +
    `leaving layer 1 with ${list(kept.map((n) => formatScientific(summary(`backwardRatioAtInit.${n}.${deepest}`))))} of layer ${deepest}'s signal. ` +
    `Middle, the activations, which travel up from layer 1: the ${level}'s stay between ${formatNumber(Math.min(...levelValues))} and ${formatNumber(Math.max(...levelValues))} at every layer, ` +
    `while ${list(shrinking.map((n) => `${n}'s`))} shrink going up, by ${list(shrinking.map((n) => formatNumber(factor('activation', n).mean)))} per layer. ` +
    `Bottom, the gradient per weight, their product (weight layer k takes layer k − 1's activations and layer k's backward signal): ` +
    `the first weight layer gets ${formatScientific(summary(`gradientRatioAtInit.${vanishing}.${deepest}`))} of the output layer's with ${vanishing}, ` +
    `against ${list(kept.map((n) => `${formatScientific(summary(`gradientRatioAtInit.${n}.${deepest}`))} with ${n}`))}.`
  );
}
