/** Chart specs for the `scale` experiment: the lecture's performance-vs-data chart, from real runs. */
import type { TopLevelSpec } from 'vega-lite';
import { trialsOf, type ResultFile } from '../../experiments/lib/schema.ts';
import { chartHead, type ChartBuild } from './types.ts';
import { formatCount, formatPercent } from './format.ts';

interface Point {
  model: string;
  label: string;
  m: number;
  seed: number;
  testAccuracy: number;
}

function points(result: ResultFile): Point[] {
  return trialsOf(result.rows)
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
    ...chartHead(description, data),
    height: 300,
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
  // A model that stops short of the largest size (the exact kernel SVM) is described at its own largest.
  const lastOf = (label: string) => Math.max(...data.filter((p) => p.label === label).map((p) => p.m));
  const ranked = labels.filter((l) => lastOf(l) === last).sort((a, b) => mean(b, last) - mean(a, last));
  const finals = ranked.map((label) => `${label} ${formatPercent(mean(label, last))}`).join(', ');
  const shorter = labels.filter((l) => lastOf(l) !== last).map((l) => ` ${l} was trained up to ${formatCount(lastOf(l))} images, where it reached ${formatPercent(mean(l, lastOf(l)))}.`);
  const starts = labels.map((label) => `${label} ${formatPercent(mean(label, first))}`).join(', ');
  return (
    `Line chart of test accuracy on MNIST against the number of labelled training images, ` +
    `from ${formatCount(first)} to ${formatCount(last)} on a log scale, for ${labels.length} models, ` +
    `mean of ${seeds} seed${seeds === 1 ? '' : 's'} with the range across seeds shaded. ` +
    `With ${formatCount(first)} images: ${starts}. With ${formatCount(last)} images: ${finals}.${shorter.join('')}`
  );
}

/**
 * Why curves flatten: training accuracy minus test accuracy against m. A model whose gap closes
 * fits its training set no better than new images — it has run out of capacity, and more data of
 * the same kind cannot help it much.
 */
export function generalisationGap(result: ResultFile): ChartBuild {
  const data = trialsOf(result.rows)
    .filter((r) => typeof r.testAccuracy === 'number' && typeof r.trainAccuracy === 'number')
    .map((r) => ({
      label: String(r.label),
      m: Number(r.m),
      seed: Number(r.seed),
      trainAccuracy: Number(r.trainAccuracy),
      testAccuracy: Number(r.testAccuracy),
      gap: Number(r.trainAccuracy) - Number(r.testAccuracy),
    }));
  const labels = [...new Set(data.map((p) => p.label))];
  const sizes = [...new Set(data.map((p) => p.m))].sort((a, b) => a - b);
  const mean = (label: string, m: number, field: 'gap' | 'trainAccuracy') => {
    const v = data.filter((p) => p.label === label && p.m === m).map((p) => p[field]);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const lastOf = (label: string) => Math.max(...data.filter((p) => p.label === label).map((p) => p.m));
  const description =
    `Line chart of the gap between training and test accuracy (training minus test, in percentage points) against the number of training images, log scale, one line per model, mean over seeds. ` +
    labels
      .map((l) => `${l}: ${formatPoints(mean(l, sizes[0]!, 'gap'))} at ${formatCount(sizes[0]!)} images, ${formatPoints(mean(l, lastOf(l), 'gap'))} at ${formatCount(lastOf(l))} (training accuracy ${formatPercent(mean(l, lastOf(l), 'trainAccuracy'))})`)
      .join('; ') +
    '.';
  const spec: TopLevelSpec = {
    ...chartHead(description, data),
    height: 280,
    transform: [
      {
        aggregate: [
          { op: 'mean', field: 'gap', as: 'gap' },
          { op: 'mean', field: 'trainAccuracy', as: 'train' },
          { op: 'mean', field: 'testAccuracy', as: 'test' },
        ],
        groupby: ['label', 'm'],
      },
    ],
    params: [{ name: 'focus', select: { type: 'point', fields: ['label'] }, bind: 'legend' }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'm', type: 'quantitative', scale: { type: 'log', domain: [sizes[0]!, sizes.at(-1)!] }, axis: { values: sizes, format: '~s', labelOverlap: 'greedy' }, title: 'Labelled training images (log scale)' },
      y: { field: 'gap', type: 'quantitative', axis: { format: '.0%' }, title: 'Training minus test accuracy' },
      color: { field: 'label', type: 'nominal', sort: labels, title: 'Model' },
      opacity: { condition: { param: 'focus', value: 1 }, value: 0.15 },
      tooltip: [
        { field: 'label', title: 'Model' },
        { field: 'm', title: 'Training images', format: ',' },
        { field: 'train', title: 'Training accuracy', format: '.2%' },
        { field: 'test', title: 'Test accuracy', format: '.2%' },
        { field: 'gap', title: 'Gap', format: '.2%' },
      ],
    },
  };
  return { spec, description };
}

function formatPoints(x: number): string {
  return `${(100 * x).toFixed(1)} points`;
}
