/** Charts for `history` (curated facts): dataset sizes and accelerator throughput over the years. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { citationLabel, keyOfCitation } from '../lib/references.ts';
import type { LabelKind } from '../../experiments/suite/history.ts';
import { formatLargeCount, formatSignificant } from './format.ts';
import { SERIES_COLORS } from './theme.ts';
import { chartHead, type ChartBuild } from './types.ts';

/** A curated row's source as its bibliography label ("Russakovsky et al. 2015"), checked against the bibliography. */
function sourceLabel(source: unknown): string {
  return citationLabel(keyOfCitation(String(source), 'generated/history.json'));
}

/** "Sources: A; B." — each distinct source once, in the order of the rows. */
function sourcesSentence(labels: string[]): string {
  return ` Sources: ${[...new Set(labels)].join('; ')} (full references on the references page).`;
}

/** How the dataset chart names each kind of label (experiments/suite/history.ts), in legend order, with its colour and shape. */
const LABEL_KINDS: Record<LabelKind, { legend: string; sentence: string; color: string; shape: string }> = {
  checked: { legend: 'Given or checked by people', sentence: 'Labels given or checked by people', color: SERIES_COLORS[0], shape: 'circle' },
  weak: { legend: 'Web signals or hashtags (private sets)', sentence: 'Labels made from web signals or hashtags, unchecked, in private sets', color: SERIES_COLORS[1], shape: 'triangle-up' },
  captions: { legend: 'Captions, not class labels', sentence: 'Image–text pairs, with no class labels', color: SERIES_COLORS[2], shape: 'square' },
};

/**
 * Where each dataset's name sits beside its point, so that no two names meet and none runs past the plot
 * (the picture is drawn about 400 px wide and scaled down on a phone). A dataset not listed here gets its
 * name to the right of its point before LABEL_SIDE_YEAR and to the left after it.
 */
type Place = 'left' | 'right' | 'above' | 'below';
const LABEL_PLACES: Record<string, Place> = {
  Places365: 'below',
  // To its left, the name would run into the full ImageNet's point.
  'Open Images V4': 'below',
  'LAION-5B': 'above',
  'JFT-3B': 'below',
};
const LABEL_SIDE_YEAR = 2005;
const PLACE_MARKS: Record<Place, { align: 'left' | 'right' | 'center'; dx: number; dy: number; baseline: 'bottom' | 'middle' | 'top' }> = {
  right: { align: 'left', dx: 8, dy: 0, baseline: 'middle' },
  left: { align: 'right', dx: -8, dy: 0, baseline: 'middle' },
  above: { align: 'center', dx: 0, dy: -9, baseline: 'bottom' },
  below: { align: 'center', dx: 0, dy: 9, baseline: 'top' },
};

/** The axis runs from ten thousand to beyond ten billion, one tick a power of ten. */
const EXAMPLE_TICKS = [1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

export function datasetSizes(result: ResultFile): ChartBuild {
  const kinds = (result.config.labels ?? {}) as Record<string, LabelKind>;
  const data = result.rows
    .filter((r) => r.kind === 'dataset')
    .map((r) => {
      const name = String(r.name);
      const kind = kinds[name];
      if (!kind || !(kind in LABEL_KINDS)) {
        throw new Error(`generated/history.json: dataset "${name}" has no kind of label in config.labels (one of ${Object.keys(LABEL_KINDS).join(', ')}); see experiments/suite/history.ts.`);
      }
      const year = Number(r.year);
      return {
        name,
        year,
        examples: Number(r.examples),
        size: formatLargeCount(Number(r.examples)),
        what: String(r.what),
        labels: LABEL_KINDS[kind].legend,
        kind,
        place: LABEL_PLACES[name] ?? (year < LABEL_SIDE_YEAR ? 'right' : 'left'),
        source: sourceLabel(r.source),
      };
    })
    .sort((a, b) => a.year - b.year || a.examples - b.examples);
  // The 2012 challenge set, the yardstick of the growth sentence (not the full ImageNet it was drawn from).
  const imagenet = data.find((d) => d.name.includes('ILSVRC'));
  const largest = (rows: typeof data) => rows.reduce<(typeof data)[number] | undefined>((a, b) => (a && a.examples >= b.examples ? a : b), undefined);
  const checked = largest(data.filter((d) => d.kind === 'checked'));
  const top = largest(data);
  const kindsPresent = (Object.keys(LABEL_KINDS) as LabelKind[]).filter((k) => data.some((d) => d.kind === k));
  const times = (d: (typeof data)[number]) => formatSignificant(d.examples / imagenet!.examples, 2);
  const growth =
    imagenet && checked && top && top !== checked
      ? ` The largest set labelled by people, ${checked.name}, holds ${times(checked)} times as many images as the training set of ${imagenet.name}; ` +
        `the largest of all, ${top.name}, ${times(top)} times, with ${top.kind === 'captions' ? 'captions in place of class labels' : 'labels nobody checked'}.`
      : '';
  // "MNIST (1998) 60,000"; a name that already holds its year keeps it ("ImageNet (ILSVRC-2012) 1.28 million").
  const item = (d: (typeof data)[number]) => `${d.name.includes(String(d.year)) ? d.name : `${d.name} (${d.year})`} ${d.size}`;
  const description =
    `Training examples in landmark image datasets by the year each was released, on a log scale; curated from each dataset’s paper, not measured by this project. ` +
    kindsPresent.map((k) => `${LABEL_KINDS[k].sentence}: ${data.filter((d) => d.kind === k).map(item).join(', ')}.`).join(' ') +
    growth +
    sourcesSentence(data.map((d) => d.source));
  const text = (place: Place) => ({
    transform: [{ filter: `datum.place === '${place}'` }],
    mark: { type: 'text' as const, ...PLACE_MARKS[place], fontSize: 12, color: 'currentColor' },
    encoding: { text: { field: 'name' } },
  });
  const kindScale = { domain: kindsPresent.map((k) => LABEL_KINDS[k].legend) };
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: 300,
      encoding: {
        x: { field: 'year', type: 'quantitative', scale: { domain: [1996, 2024], nice: false }, axis: { format: 'd', tickCount: 5 }, title: 'Year' },
        y: {
          field: 'examples',
          type: 'quantitative',
          scale: { type: 'log', domain: [10000, 40000000000] },
          // "1B" and "10B" rather than SI's "1G" and "10G".
          axis: { values: EXAMPLE_TICKS, format: '~s', labelExpr: "replace(datum.label, 'G', 'B')" },
          title: 'Training examples (log scale)',
        },
      },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 90, opacity: 1 },
          encoding: {
            color: { field: 'labels', type: 'nominal', title: 'Labels', scale: { ...kindScale, range: kindsPresent.map((k) => LABEL_KINDS[k].color) } },
            shape: { field: 'labels', type: 'nominal', title: 'Labels', scale: { ...kindScale, range: kindsPresent.map((k) => LABEL_KINDS[k].shape) } },
            tooltip: [
              { field: 'name', title: 'Dataset' },
              { field: 'year', title: 'Year' },
              { field: 'examples', title: 'Training examples', format: ',' },
              { field: 'labels', title: 'Labels' },
              { field: 'what', title: 'What' },
              { field: 'source', title: 'Source' },
            ],
          },
        },
        ...(['left', 'right', 'above', 'below'] as const).map(text),
        // The chart says on its face that these are facts copied from papers, not this project's measurements.
        {
          data: { values: [{ year: 1997, examples: 20000000000 }] },
          mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 11, fontStyle: 'italic', color: 'currentColor', lineHeight: 14, text: ['Curated from each dataset’s paper,', 'not measured by this project'] },
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
