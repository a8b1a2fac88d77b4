/** Chart for `model-size`: accuracy against parameter count, one line per amount of data. */
import { trialsOf, type ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount, formatPercent } from './format.ts';
import { SERIES_COLORS } from './theme.ts';
import { meanAndRange } from './spread.ts';
import { chartHead, type ChartBuild } from './types.ts';

/** "a, b and c". */
const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

export function accuracyByParameters(result: ResultFile): ChartBuild {
  const data = trialsOf(result.rows)
    .filter((r) => typeof r.testAccuracy === 'number')
    .map((r) => ({ width: Number(r.width), params: Number(r.params), m: Number(r.m), mLabel: `${formatCount(Number(r.m))} images`, testAccuracy: Number(r.testAccuracy) }));
  const sizes = [...new Set(data.map((d) => d.m))].sort((a, b) => a - b);
  const params = [...new Set(data.map((d) => d.params))].sort((a, b) => a - b);
  const mean = (m: number, p: number) => {
    const v = data.filter((d) => d.m === m && d.params === p).map((d) => d.testAccuracy);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const behind = sizes.filter((m) => mean(m, params.at(-1)!) <= mean(m, params[0]!));
  const description =
    `Line chart of test accuracy against the number of parameters of a one-hidden-layer network ` +
    `(mean over seeds, range shaded) ` +
    `from ${formatCount(params[0]!)} to ${formatCount(params.at(-1)!)} (log scale), one line per training-set size. ` +
    // One sentence for all sizes, not one per size.
    (behind.length ? 'The largest network against the smallest: ' : 'The largest network is ahead of the smallest at every size: ') +
    list(sizes.map((m, i) => `${formatPercent(mean(m, params.at(-1)!))} against ${formatPercent(mean(m, params[0]!))} with ${formatCount(m)}${i === 0 ? ' images' : ''}`)) +
    (behind.length ? `; it is not ahead with ${list(behind.map(formatCount))} images.` : '.');
  const sizeLabels = sizes.map((m) => `${formatCount(m)} images`);
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 300,
      encoding: {
        x: { field: 'params', type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s' }, title: 'Parameters (log scale)' },
        color: { field: 'mLabel', type: 'ordinal', sort: sizeLabels, title: 'Training set', scale: { domain: sizeLabels, range: SERIES_COLORS.slice(0, sizeLabels.length) } },
      },
      transform: [
        meanAndRange('testAccuracy', ['mLabel', 'params', 'width']),
      ],
      layer: [
        // Spread over seeds, worst to best.
        { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'low', type: 'quantitative', scale: { zero: false }, axis: { format: '.0%' }, title: 'Test accuracy' }, y2: { field: 'high' } } },
        {
          mark: { type: 'line', point: true },
          encoding: {
            y: { field: 'mean', type: 'quantitative' },
            tooltip: [
              { field: 'mLabel', title: 'Training set' },
              { field: 'width', title: 'Hidden units' },
              { field: 'params', title: 'Parameters', format: ',' },
              { field: 'mean', title: 'Mean test accuracy', format: '.2%' },
              { field: 'low', title: 'Worst seed', format: '.2%' },
              { field: 'high', title: 'Best seed', format: '.2%' },
            ],
          },
        },
      ],
    },
  };
}
