/** Charts for `saturation`: the long run of a deep sigmoid network beside tanh — accuracy per epoch, and each hidden layer's mean activation. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount, formatPercent, formatRange } from './format.ts';
import { meanAndRange } from './spread.ts';
import { chartHead, type ChartBuild } from './types.ts';

export function longRun(result: ResultFile): ChartBuild {
  const data = result.rows
    .filter((r) => r.kind === 'epoch')
    .map((r) => ({ run: `${r.activation}, lr ${r.rate}`, seed: Number(r.seed), epoch: Number(r.epoch), valAccuracy: Number(r.valAccuracy) }));
  const runs = [...new Set(data.map((d) => d.run))];
  const seeds = new Set(data.map((d) => d.seed)).size;
  const last = Math.max(...data.map((d) => d.epoch));
  const threshold = Number(result.summary['escapeThreshold']);
  const mean = (run: string, epoch: number) => {
    const v = data.filter((d) => d.run === run && d.epoch === epoch).map((d) => d.valAccuracy);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const escapes = (run: string) => {
    const bySeed = [...new Set(data.map((d) => d.seed))].map((seed) => data.find((d) => d.run === run && d.seed === seed && d.valAccuracy >= threshold)?.epoch);
    const hit = bySeed.filter((e): e is number => e !== undefined);
    return hit.length === 0 ? `no seed above ${formatPercent(threshold)}` : `${hit.length} of ${bySeed.length} seeds above ${formatPercent(threshold)}, first at ${Math.min(...hit) === Math.max(...hit) ? 'epoch' : 'epochs'} ${formatRange(Math.min(...hit), Math.max(...hit), formatCount)}`;
  };
  // Mean over seeds of each seed's best epoch (best-so-far, as the text quotes it), beside the last epoch's mean.
  const best = (run: string) => {
    const bySeed = [...new Set(data.map((d) => d.seed))].map((seed) => Math.max(...data.filter((d) => d.run === run && d.seed === seed).map((d) => d.valAccuracy)));
    return bySeed.reduce((a, b) => a + b, 0) / bySeed.length;
  };
  const description =
    `Validation accuracy against epochs of plain SGD for a network with ${result.summary['depth']} hidden layers of ${result.summary['width']} units, one line per activation and learning rate (mean over ${seeds} seeds, range shaded). ` +
    runs
      .map((r) => `${r}: ${formatPercent(mean(r, 1))} after one epoch, ${formatPercent(mean(r, last))} at the last (epoch ${last}), ${formatPercent(best(r))} at each seed's best epoch; ${escapes(r)}`)
      .join('. ') +
    '.';
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 260,
      transform: [meanAndRange('valAccuracy', ['run', 'epoch'])],
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'Epoch' },
        color: { field: 'run', type: 'nominal', sort: runs, title: 'Activation, learning rate' },
      },
      layer: [
        { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'Validation accuracy' }, y2: { field: 'high' } } },
        {
          mark: { type: 'line' },
          encoding: {
            y: { field: 'mean', type: 'quantitative' },
            tooltip: [
              { field: 'run', title: 'Activation, learning rate' },
              { field: 'epoch', title: 'Epoch' },
              { field: 'mean', title: 'Mean validation accuracy', format: '.1%' },
              { field: 'low', title: 'Worst seed', format: '.1%' },
              { field: 'high', title: 'Best seed', format: '.1%' },
            ],
          },
        },
      ],
    },
  };
}

export function hiddenActivations(result: ResultFile): ChartBuild {
  // The sigmoid network at its largest rate, mean over seeds per epoch and layer.
  const sigmoid = result.rows.filter((r) => r.kind === 'activation' && (r.activation ?? 'sigmoid') === 'sigmoid');
  const rate = Math.max(...sigmoid.map((r) => Number(r.rate)));
  const probes = sigmoid.filter((r) => r.rate === rate);
  const layerNumbers = [...new Set(probes.map((r) => Number(r.layer)))].sort((a, b) => a - b);
  const epochs = [...new Set(probes.map((r) => Number(r.epoch)))].sort((a, b) => a - b);
  const data = layerNumbers.flatMap((layer) =>
    epochs.map((epoch) => {
      const values = probes.filter((r) => r.layer === layer && r.epoch === epoch).map((r) => Number(r.meanActivation));
      return { layer: `hidden layer ${layer}`, epoch, meanActivation: values.reduce((a, b) => a + b, 0) / values.length };
    }),
  );
  const layers = layerNumbers.map((l) => `hidden layer ${l}`);
  const top = layers.at(-1)!;
  const topValues = data.filter((d) => d.layer === top);
  const description =
    `Mean activation of each hidden layer of the sigmoid network (a sigmoid's output lies between 0 and 1) against epochs, learning rate ${rate}, on a fixed batch of training images, mean over seeds. ` +
    `The top hidden layer starts at ${topValues[0]?.meanActivation.toFixed(2)} and reaches ${Math.min(...topValues.map((d) => d.meanActivation)).toFixed(2)} at its lowest; ` +
    `after the last epoch it is at ${topValues.at(-1)?.meanActivation.toFixed(2)}.`;
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 240,
      mark: { type: 'line', point: { size: 16 } },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'Epoch' },
        y: { field: 'meanActivation', type: 'quantitative', scale: { domain: [0, 1] }, title: 'Mean activation' },
        color: { field: 'layer', type: 'nominal', sort: layers, title: 'Layer' },
        tooltip: [
          { field: 'layer', title: 'Layer' },
          { field: 'epoch', title: 'Epoch' },
          { field: 'meanActivation', title: 'Mean activation', format: '.3f' },
        ],
      },
    },
  };
}
