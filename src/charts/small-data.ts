/** Chart for `small-data`: every seed's accuracy at each small training-set size, per model. */
import { trialsOf, type ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount, formatPercent } from './format.ts';
import { chartHead, type ChartBuild } from './types.ts';

export function seedSpread(result: ResultFile): ChartBuild {
  const data = trialsOf(result.rows)
    .filter((r) => typeof r.testAccuracy === 'number')
    .map((r) => ({ label: String(r.label), m: Number(r.m), seed: Number(r.seed), testAccuracy: Number(r.testAccuracy) }));
  const labels = [...new Set(data.map((d) => d.label))];
  const sizes = [...new Set(data.map((d) => d.m))].sort((a, b) => a - b);
  const seeds = new Set(data.map((d) => d.seed)).size;
  const meanAt = (label: string, m: number) => {
    const v = data.filter((d) => d.label === label && d.m === m).map((d) => d.testAccuracy);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const leaders = sizes.map((m) => labels.reduce((a, b) => (meanAt(b, m) > meanAt(a, m) ? b : a)));
  const oneLeader = leaders.every((l) => l === leaders[0]);
  const [first, last] = [sizes[0]!, sizes.at(-1)!];
  // The pattern once, not one sentence per size: who leads, then the seeds it did not win, if any.
  const leading = oneLeader
    ? `At every size the best on average is ${leaders[0]}, from ${formatPercent(meanAt(leaders[0]!, first))} with ${formatCount(first)} images to ${formatPercent(meanAt(leaders[0]!, last))} with ${formatCount(last)}`
    : `The best on average is ${sizes.map((m, i) => `${leaders[i]} with ${formatCount(m)} images (${formatPercent(meanAt(leaders[i]!, m))})`).join(', ')}`;
  const flips = sizes.map((m) => [m, result.summary[`leaderFlipRate.${m}`]] as const).filter((f): f is readonly [number, number] => f[1] !== undefined);
  const exceptions = flips.filter(([, rate]) => rate > 0).map(([m, rate]) => `${Math.round(rate * seeds)} of ${seeds} seeds at ${formatCount(m)} images`);
  const winning = !flips.length
    ? ''
    : exceptions.length
      ? `; another model beat ${oneLeader ? 'it' : 'the leader'} on ${exceptions.join(', ')}`
      : `; ${oneLeader ? 'it' : 'each size’s leader'} won every seed at every size`;
  const description =
    `Dot chart of test accuracy for ${labels.length} models at ${sizes.length} small training-set sizes ` +
    `(${sizes.map(formatCount).join(', ')} images), one dot per seed (${seeds} seeds), with the mean marked. ` +
    `${leading}${winning}.`;
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
