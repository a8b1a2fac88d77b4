/** Chart for `small-data`: every seed's accuracy at each small training-set size, per model. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount, formatPercent } from './format.ts';
import { chartHead, type ChartBuild } from './types.ts';

export function seedSpread(result: ResultFile): ChartBuild {
  const data = result.rows
    .filter((r) => typeof r.testAccuracy === 'number')
    .map((r) => ({ label: String(r.label), m: Number(r.m), seed: Number(r.seed), testAccuracy: Number(r.testAccuracy) }));
  const labels = [...new Set(data.map((d) => d.label))];
  const sizes = [...new Set(data.map((d) => d.m))].sort((a, b) => a - b);
  const seeds = new Set(data.map((d) => d.seed)).size;
  const flips = sizes.map((m) => result.summary[`leaderFlipRate.${m}`]).filter((x): x is number => x !== undefined);
  const description =
    `Dot chart of test accuracy for ${labels.length} models at ${sizes.length} small training-set sizes ` +
    `(${sizes.map(formatCount).join(', ')} images), one dot per seed (${seeds} seeds), with the mean marked. ` +
    sizes
      .map((m) => {
        const mean = (label: string) => {
          const v = data.filter((d) => d.label === label && d.m === m).map((d) => d.testAccuracy);
          return v.reduce((a, b) => a + b, 0) / v.length;
        };
        const best = labels.reduce((a, b) => (mean(b) > mean(a) ? b : a));
        const flip = result.summary[`leaderFlipRate.${m}`];
        return `At ${formatCount(m)} images the best on average is ${best} (${formatPercent(mean(best))})` + (flip === undefined ? '' : `, but another model wins in ${formatPercent(flip)} of seeds`);
      })
      .join('. ') +
    (flips.length ? '.' : '');
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 300,
      encoding: {
        x: { field: 'm', type: 'ordinal', sort: sizes, axis: { labelAngle: 0 }, title: 'Labelled training images' },
        xOffset: { field: 'label', sort: labels },
        color: { field: 'label', type: 'nominal', sort: labels, title: 'Model', legend: { labelLimit: 400 } },
      },
      layer: [
        {
          mark: { type: 'point', filled: true, opacity: 0.55, size: 30 },
          encoding: {
            y: { field: 'testAccuracy', type: 'quantitative', scale: { zero: false }, axis: { format: '.0%' }, title: 'Test accuracy' },
            tooltip: [
              { field: 'label', title: 'Model' },
              { field: 'm', title: 'Training images', format: ',' },
              { field: 'seed', title: 'Seed' },
              { field: 'testAccuracy', title: 'Test accuracy', format: '.2%' },
            ],
          },
        },
        {
          mark: { type: 'tick', thickness: 3, size: 14 },
          encoding: { y: { aggregate: 'mean', field: 'testAccuracy', type: 'quantitative' } },
        },
      ],
    },
  };
}
