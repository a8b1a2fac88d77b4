/** Charts for `history` (curated facts): dataset sizes and accelerator throughput over the years. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { citationLabel, keyOfCitation } from '../lib/references.ts';
import { formatCount } from './format.ts';
import { chartHead, type ChartBuild } from './types.ts';

/** A curated row's source as its bibliography label ("Russakovsky et al. 2015"), checked against the bibliography. */
function sourceLabel(source: unknown): string {
  return citationLabel(keyOfCitation(String(source), 'generated/history.json'));
}

/** "Sources: A; B." — each distinct source once, in the order of the rows. */
function sourcesSentence(labels: string[]): string {
  return ` Sources: ${[...new Set(labels)].join('; ')} (full references on the references page).`;
}

/** The middle of the dataset chart's years: names of later datasets go to the left of their point. */
const LABEL_SIDE_YEAR = 2005;

export function datasetSizes(result: ResultFile): ChartBuild {
  const data = result.rows.filter((r) => r.kind === 'dataset').map((r) => ({ name: String(r.name), year: Number(r.year), examples: Number(r.examples), source: sourceLabel(r.source) }));
  const description =
    `Labelled training examples in landmark image datasets, by year (log scale): ` +
    data.map((d) => `${d.name} (${d.year}) ${formatCount(d.examples)}`).join(', ') +
    '. Curated from the cited sources, not measured.' +
    sourcesSentence(data.map((d) => d.source));
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 260,
      encoding: {
        x: { field: 'year', type: 'quantitative', scale: { domain: [1996, 2014], nice: false }, axis: { format: 'd', tickCount: 5 }, title: 'Year published' },
        y: { field: 'examples', type: 'quantitative', scale: { type: 'log', domain: [10000, 3000000] }, axis: { format: '~s' }, title: 'Training examples (log scale)' },
      },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 90, color: '#0072B2' },
          encoding: {
            tooltip: [
              { field: 'name', title: 'Dataset' },
              { field: 'year', title: 'Year' },
              { field: 'examples', title: 'Training examples', format: ',' },
              { field: 'source', title: 'Source' },
            ],
          },
        },
        // Names to the right of their point in the first half of the years and to the left in the second,
        // so that none runs past the plot (a wider picture is drawn smaller on a phone).
        {
          transform: [{ filter: `datum.year < ${LABEL_SIDE_YEAR}` }],
          mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 12, color: 'currentColor' },
          encoding: { text: { field: 'name' } },
        },
        {
          transform: [{ filter: `datum.year >= ${LABEL_SIDE_YEAR}` }],
          mark: { type: 'text', align: 'right', dx: -8, dy: -8, fontSize: 12, color: 'currentColor' },
          encoding: { text: { field: 'name' } },
        },
      ],
    },
  };
}

export function acceleratorThroughput(result: ResultFile): ChartBuild {
  const data = result.rows
    .filter((r) => r.kind === 'accelerator')
    .map((r) => ({ name: String(r.name), year: Number(r.year), tflops: Number(r.tflops), precision: String(r.precision).startsWith('FP32') ? 'FP32' : 'FP16 / tensor cores', detail: String(r.precision), source: sourceLabel(r.source) }));
  const fp32 = data.filter((d) => d.precision === 'FP32');
  const description =
    `Peak throughput of NVIDIA GPUs by year, in trillions of operations per second (log scale), ` +
    `32-bit floating point and half-precision tensor-core figures shown apart: ` +
    data.map((d) => `${d.name} (${d.year}) ${d.tflops} TFLOPS ${d.detail}`).join('; ') +
    `. In 32-bit arithmetic alone, from ${fp32[0]?.tflops} to ${fp32.at(-1)?.tflops} TFLOPS. Vendor datasheet figures, not measured.` +
    sourcesSentence(data.map((d) => d.source));
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 280,
      encoding: {
        x: { field: 'year', type: 'quantitative', scale: { domain: [2009, 2023], nice: false }, axis: { format: 'd', tickCount: 5 }, title: 'Year' },
        y: { field: 'tflops', type: 'quantitative', scale: { type: 'log' }, title: 'Peak TFLOPS (log scale)' },
        color: { field: 'precision', type: 'nominal', title: 'Arithmetic' },
        shape: { field: 'precision', type: 'nominal', title: 'Arithmetic' },
      },
      layer: [
        { mark: { type: 'line', strokeDash: [4, 3], opacity: 0.6 } },
        {
          mark: { type: 'point', filled: true, size: 80 },
          encoding: {
            tooltip: [
              { field: 'name', title: 'GPU' },
              { field: 'year', title: 'Year' },
              { field: 'tflops', title: 'Peak TFLOPS' },
              { field: 'detail', title: 'Arithmetic' },
              { field: 'source', title: 'Source' },
            ],
          },
        },
      ],
    },
  };
}
