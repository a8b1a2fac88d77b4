/** Charts for `saturation`: the long run of a deep sigmoid network — accuracy per epoch, and each hidden layer's mean activation. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatPercent } from './format.ts';
import { chartHead, type ChartBuild } from './types.ts';

export function longRun(result: ResultFile): ChartBuild {
  const data = result.rows
    .filter((r) => r.kind === 'epoch')
    .map((r) => ({ rate: `lr ${r.rate}`, epoch: Number(r.epoch), valAccuracy: Number(r.valAccuracy) }));
  const rates = [...new Set(data.map((d) => d.rate))];
  const last = Math.max(...data.map((d) => d.epoch));
  const at = (rate: string, epoch: number) => data.find((d) => d.rate === rate && d.epoch === epoch)?.valAccuracy;
  const escape = (rate: string) => data.find((d) => d.rate === rate && d.valAccuracy >= Number(result.summary['escapeThreshold']))?.epoch;
  const description =
    `Validation accuracy against epochs of plain SGD for a sigmoid network with ${result.summary['depth']} hidden layers of ${result.summary['width']} units, one line per learning rate. ` +
    rates
      .map((r) => `${r}: ${formatPercent(at(r, 1) ?? Number.NaN)} after one epoch, ${formatPercent(at(r, last) ?? Number.NaN)} after ${last}${escape(r) === undefined ? ', never above ' + formatPercent(Number(result.summary['escapeThreshold'])) : `, first above ${formatPercent(Number(result.summary['escapeThreshold']))} at epoch ${escape(r)}`}`)
      .join('; ') +
    '.';
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 260,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'Epoch' },
        y: { field: 'valAccuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'Validation accuracy' },
        color: { field: 'rate', type: 'nominal', title: 'Learning rate' },
        tooltip: [
          { field: 'rate', title: 'Learning rate' },
          { field: 'epoch', title: 'Epoch' },
          { field: 'valAccuracy', title: 'Validation accuracy', format: '.1%' },
        ],
      },
    },
  };
}

export function hiddenActivations(result: ResultFile): ChartBuild {
  const rates = [...new Set(result.rows.filter((r) => r.kind === 'activation').map((r) => Number(r.rate)))];
  const rate = Math.max(...rates);
  const data = result.rows
    .filter((r) => r.kind === 'activation' && r.rate === rate)
    .map((r) => ({ layer: `hidden layer ${r.layer}`, epoch: Number(r.epoch), meanActivation: Number(r.meanActivation) }));
  const layers = [...new Set(data.map((d) => d.layer))];
  const top = layers.at(-1)!;
  const topValues = data.filter((d) => d.layer === top);
  const description =
    `Mean activation of each hidden layer (a sigmoid's output lies between 0 and 1) against epochs, learning rate ${rate}, on a fixed batch of training images. ` +
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
