/** Chart specs for the `scale` experiment: the lecture's performance-vs-data chart, from real runs. */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultFile } from '../../experiments/lib/schema.ts';
import type { ChartBuild } from './types.ts';
import { formatCount, formatPercent } from './format.ts';

interface Point {
  model: string;
  label: string;
  m: number;
  seed: number;
  testAccuracy: number;
}

function points(result: ResultFile): Point[] {
  return result.rows
    .filter((r) => typeof r.testAccuracy === 'number')
    .map((r) => ({
      model: String(r.model),
      label: String(r.label),
      m: Number(r.m),
      seed: Number(r.seed),
      testAccuracy: Number(r.testAccuracy),
    }));
}

/** Models in the order they were configured (smallest capacity first), for legend and colours. */
function modelOrder(data: Point[]): string[] {
  return [...new Set(data.map((p) => p.label))];
}

export function learningCurves(result: ResultFile): ChartBuild {
  const data = points(result);
  const labels = modelOrder(data);
  const sizes = [...new Set(data.map((p) => p.m))].sort((a, b) => a - b);
  const seeds = new Set(data.map((p) => p.seed)).size;
  const description = describeLearningCurves(data, labels, sizes, seeds);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description,
    width: 'container',
    height: 300,
    data: { values: data },
    transform: [
      {
        aggregate: [
          { op: 'mean', field: 'testAccuracy', as: 'mean' },
          { op: 'min', field: 'testAccuracy', as: 'low' },
          { op: 'max', field: 'testAccuracy', as: 'high' },
          { op: 'count', as: 'runs' },
        ],
        groupby: ['label', 'm'],
      },
    ],
    encoding: {
      x: {
        field: 'm',
        type: 'quantitative',
        scale: { type: 'log', domain: [sizes[0]!, sizes.at(-1)!] },
        axis: { values: sizes, format: '~s', labelOverlap: 'greedy' },
        title: 'Labelled training images (log scale)',
      },
      color: { field: 'label', type: 'nominal', sort: labels, title: 'Model' },
    },
    layer: [
      {
        // Spread over seeds: the band runs from the worst to the best run at each size.
        mark: { type: 'area', opacity: 0.18 },
        encoding: {
          y: { field: 'low', type: 'quantitative', scale: { zero: false }, title: 'Test accuracy', axis: { format: '.0%' } },
          y2: { field: 'high' },
        },
      },
      {
        // Click a legend entry to bring that series forward (interactive version).
        params: [{ name: 'focus', select: { type: 'point', fields: ['label'] }, bind: 'legend' }],
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          opacity: { condition: { param: 'focus', value: 1 }, value: 0.15 },
          tooltip: [
            { field: 'label', title: 'Model' },
            { field: 'm', title: 'Training images', format: ',' },
            { field: 'mean', title: 'Mean test accuracy', format: '.2%' },
            { field: 'low', title: 'Worst seed', format: '.2%' },
            { field: 'high', title: 'Best seed', format: '.2%' },
            { field: 'runs', title: 'Runs (seeds)' },
          ],
        },
      },
    ],
  };
  return { spec, description };
}

/** A text alternative written from the data: what a sighted reader takes from the chart. */
export function describeLearningCurves(data: Point[], labels: string[], sizes: number[], seeds: number): string {
  const mean = (label: string, m: number) => {
    const values = data.filter((p) => p.label === label && p.m === m).map((p) => p.testAccuracy);
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  const ranked = [...labels].sort((a, b) => mean(b, last) - mean(a, last));
  const finals = ranked.map((label) => `${label} ${formatPercent(mean(label, last))}`).join(', ');
  const starts = labels.map((label) => `${label} ${formatPercent(mean(label, first))}`).join(', ');
  return (
    `Line chart of test accuracy on MNIST against the number of labelled training images, ` +
    `from ${formatCount(first)} to ${formatCount(last)} on a log scale, for ${labels.length} models, ` +
    `mean of ${seeds} seed${seeds === 1 ? '' : 's'} with the range across seeds shaded. ` +
    `With ${formatCount(first)} images: ${starts}. With ${formatCount(last)} images: ${finals}.`
  );
}
