/** Chart for `optimizers`: validation accuracy per epoch for each update rule at its best rate, mean and range over seeds. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatPercent } from './format.ts';
import { meanAndRange } from './spread.ts';
import { chartHead, type ChartBuild } from './types.ts';

export function accuracyCurves(result: ResultFile): ChartBuild {
  // Each optimiser at the learning rate that did best on validation.
  const data = result.rows
    .filter((r) => r.kind === 'epoch' && r.rate === result.summary[`bestRate.${r.optimizer}`])
    .map((r) => ({ label: `${r.label} (lr ${r.rate})`, epoch: Number(r.epoch), seed: Number(r.seed), valAccuracy: Number(r.valAccuracy) }));
  const labels = [...new Set(data.map((d) => d.label))];
  const last = Math.max(...data.map((d) => d.epoch));
  const mean = (label: string, epoch: number) => {
    const v = data.filter((d) => d.label === label && d.epoch === epoch).map((d) => d.valAccuracy);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const target = result.summary['targetAccuracy'];
  const description =
    `Validation accuracy after each epoch for ${labels.length} optimisers training the same network from the same initial weights, ` +
    `each at the learning rate of its sweep that did best on validation (mean over seeds, range shaded). After 1 epoch: ${labels.map((l) => `${l} ${formatPercent(mean(l, 1))}`).join(', ')}. ` +
    `After ${last} epochs: ${labels.map((l) => `${l} ${formatPercent(mean(l, last))}`).join(', ')}.` +
    (target === undefined ? '' : ` The dashed line marks the ${formatPercent(target)} target.`);
  return {
    description,
    spec: {
      ...chartHead(description),
      height: 300,
      layer: [
        {
          data: { values: data },
          transform: [
            meanAndRange('valAccuracy', ['label', 'epoch']),
          ],
          encoding: {
            x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'Epoch' },
            color: { field: 'label', type: 'nominal', sort: labels, title: 'Optimiser' },
          },
          layer: [
            { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'low', type: 'quantitative', scale: { zero: false }, axis: { format: '.0%' }, title: 'Validation accuracy' }, y2: { field: 'high' } } },
            {
              // Click a legend entry to bring that series forward (interactive version).
              params: [{ name: 'focus', select: { type: 'point', fields: ['label'] }, bind: 'legend' }],
              mark: { type: 'line', point: true },
              encoding: {
                y: { field: 'mean', type: 'quantitative' },
                opacity: { condition: { param: 'focus', value: 1 }, value: 0.15 },
                tooltip: [
                  { field: 'label', title: 'Optimiser' },
                  { field: 'epoch', title: 'Epoch' },
                  { field: 'mean', title: 'Mean validation accuracy', format: '.2%' },
                  { field: 'low', title: 'Worst seed', format: '.2%' },
                  { field: 'high', title: 'Best seed', format: '.2%' },
                ],
              },
            },
          ],
        },
        ...(target === undefined
          ? []
          : [{ data: { values: [{ target }] }, mark: { type: 'rule' as const, strokeDash: [5, 4], color: 'currentColor', opacity: 0.6 }, encoding: { y: { field: 'target', type: 'quantitative' as const } } }]),
      ],
    },
  };
}
