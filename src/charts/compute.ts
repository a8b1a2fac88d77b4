/** Charts for `compute`: training throughput per backend and model size, and experiments per day. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount } from './format.ts';
import type { ChartBuild } from './types.ts';

function measurements(result: ResultFile) {
  const params = new Map(result.rows.filter((r) => r.status === 'measured').map((r) => [`${r.backend}/${r.width}`, Number(r.params)]));
  return result.timings.map((t) => ({
    backend: String(t.backend),
    width: Number(t.width),
    model: `${t.width} hidden units`,
    params: params.get(`${t.backend}/${t.width}`) ?? null,
    samplesPerSecond: Number(t.samplesPerSecond),
    secondsToTarget: typeof t.secondsToTarget === 'number' ? t.secondsToTarget : null,
    experimentsPerDay: typeof t.experimentsPerDay === 'number' ? t.experimentsPerDay : null,
  }));
}

function absent(result: ResultFile): string {
  const missing = [...new Set(result.rows.filter((r) => r.status === 'not available').map((r) => String(r.backend)))];
  return missing.length ? ` Not measured, because this machine does not have them: ${missing.join(', ')}.` : '';
}

function bars(result: ResultFile, field: 'samplesPerSecond' | 'experimentsPerDay', title: string, description: string): ChartBuild {
  const data = measurements(result).filter((d) => d[field] !== null);
  const models = [...new Set(data.map((d) => d.width))].sort((a, b) => a - b).map((w) => `${w} hidden units`);
  return {
    description,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      description,
      width: 'container',
      height: { step: 22 },
      data: { values: data },
      // Dots, not bars: on a log scale a bar has no zero to start from.
      mark: { type: 'point', filled: true, size: 80 },
      encoding: {
        y: { field: 'backend', type: 'nominal', title: 'Backend', sort: '-x' },
        yOffset: { field: 'model', sort: models },
        x: { field, type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s' }, title },
        color: { field: 'model', type: 'ordinal', sort: models, title: 'Network', scale: { range: ['#0072B2', '#D55E00', '#009E73'] } },
        tooltip: [
          { field: 'backend', title: 'Backend' },
          { field: 'model', title: 'Network' },
          { field: 'params', title: 'Parameters', format: ',' },
          { field: 'samplesPerSecond', title: 'Samples per second', format: ',.0f' },
          { field: 'secondsToTarget', title: 'Seconds to target', format: ',.1f' },
          { field: 'experimentsPerDay', title: 'Experiments per day', format: ',.0f' },
        ],
      },
    },
  };
}

export function throughput(result: ResultFile): ChartBuild {
  const data = measurements(result);
  const description =
    `Training throughput in samples per second (log scale) for networks of several sizes on each backend measured on this machine: ` +
    data.map((d) => `${d.backend}, ${d.model}: ${formatCount(d.samplesPerSecond)}`).join('; ') +
    `.${absent(result)}`;
  return bars(result, 'samplesPerSecond', 'Training samples per second (log scale)', description);
}

export function experimentsPerDay(result: ResultFile): ChartBuild {
  const data = measurements(result);
  const target = result.summary['targetAccuracy'];
  const description =
    `How many times a day the same training run — to ${target === undefined ? 'the target' : `${Math.round(target * 100)}%`} test accuracy — fits on each backend (log scale): ` +
    data.map((d) => `${d.backend}, ${d.model}: ${d.experimentsPerDay === null ? 'did not reach the target in its time budget' : formatCount(d.experimentsPerDay)}`).join('; ') +
    `.${absent(result)}`;
  return bars(result, 'experimentsPerDay', 'Experiments per day (log scale)', description);
}
