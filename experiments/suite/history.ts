/**
 * history — curated, not computed: landmark datasets and accelerators over the years, each with its
 * source, for the lessons on digitisation and on faster computation. The facts are carried over from
 * the cited sources (see ../shared/LITERATURE.md for how they were checked).
 */
import type { Experiment } from '../lib/experiment.ts';
import type { Reference, Row } from '../lib/schema.ts';

/**
 * What a dataset's examples are labelled with, which the chart draws apart: class labels that people gave
 * or checked; class labels made by a program from web signals or hashtags, noisy and unchecked (all of
 * these sets are private); or the caption that came with each image, no class label at all.
 */
export type LabelKind = 'checked' | 'weak' | 'captions';

export interface HistoryConfig {
  datasets: Row[];
  /** Each dataset's kind of label, by its name (a row holds only the fields its schema allows). */
  labels: Record<string, LabelKind>;
  accelerators: Row[];
}

/**
 * Training examples as each source states them. The year is the one the set was first described in public
 * (the cited paper may be a later journal version), except for a set that kept growing after that (the
 * full ImageNet): it is counted as its source last states it and plotted at the year of that count, so the
 * chart never shows a size before it was reached; `what` says when it was first described. testExamples: the held-out images the set
 * publishes (ImageNet's 50,000 validation images), 0 for the private sets, for LAION-5B and for the full
 * ImageNet, which publish none.
 */
const datasetFacts: (Row & { labels: LabelKind })[] = [
  { kind: 'dataset', name: 'MNIST', year: 1998, examples: 60000, testExamples: 10000, what: 'handwritten digits, 28×28 grey', source: 'LeCun, Bottou, Bengio, Haffner 1998, Proc. IEEE 86(11)', labels: 'checked' },
  { kind: 'dataset', name: 'CIFAR-10', year: 2009, examples: 50000, testExamples: 10000, what: 'tiny colour photos, 10 classes', source: 'Krizhevsky 2009, Learning Multiple Layers of Features from Tiny Images', labels: 'checked' },
  { kind: 'dataset', name: 'Full ImageNet', year: 2014, examples: 14197122, testExamples: 0, what: 'web photos in 21,841 WordNet categories, each verified by crowd workers on Amazon Mechanical Turk; plotted at 2014, the date of this count (Deng et al. 2009 first described 3.2 million images in 5,247 categories); no official split, so every image is counted', source: 'Russakovsky et al. 2015, IJCV 115', labels: 'checked' },
  { kind: 'dataset', name: 'ImageNet (ILSVRC-2012)', year: 2012, examples: 1281167, testExamples: 50000, what: 'photos, 1,000 classes (50,000 validation images)', source: 'Russakovsky et al. 2015, IJCV 115', labels: 'checked' },
  { kind: 'dataset', name: 'Places365', year: 2016, examples: 1803460, testExamples: 328500, what: 'scene photos, 365 categories, checked by crowd workers (Places365-Standard; the whole Places database holds 10 million images in 434 categories)', source: 'Zhou, Lapedriza, Khosla, Oliva, Torralba 2018, IEEE TPAMI 40(6)', labels: 'checked' },
  { kind: 'dataset', name: 'JFT-300M', year: 2017, examples: 300000000, testExamples: 0, what: 'Google’s internal set: about 375 million labels in 18,291 categories, made by an algorithm from web signals, about 20% of them wrong; not released', source: 'Sun, Shrivastava, Singh, Gupta 2017, ICCV', labels: 'weak' },
  { kind: 'dataset', name: 'Open Images V4', year: 2018, examples: 9011219, testExamples: 125436, what: 'Flickr photos: 30.1 million image-level labels verified by people for 19.8k concepts, 15.4 million boxes for 600 classes (9.2 million images with the validation and test sets)', source: 'Kuznetsova et al. 2020, IJCV 128', labels: 'checked' },
  { kind: 'dataset', name: 'Instagram', year: 2018, examples: 3500000000, testExamples: 0, what: 'public Instagram photos labelled only by their users’ hashtags, about 17,000 of them (weak supervision); Facebook’s, not released', source: 'Mahajan et al. 2018, ECCV', labels: 'weak' },
  { kind: 'dataset', name: 'JFT-3B', year: 2021, examples: 3000000000, testExamples: 0, what: 'Google’s internal set of “nearly 3 billion” images, about 30,000 labels from a semi-automatic pipeline; not released', source: 'Zhai, Kolesnikov, Houlsby, Beyer 2022, CVPR', labels: 'weak' },
  { kind: 'dataset', name: 'LAION-5B', year: 2022, examples: 5850000000, testExamples: 0, what: 'image–text pairs from the web, kept when CLIP judged caption and image alike: captions, not class labels (2.32 billion in English); public', source: 'Schuhmann et al. 2022, NeurIPS Datasets and Benchmarks', labels: 'captions' },
];
const datasets: Row[] = datasetFacts.map(({ labels: _, ...row }) => row);
const labels: Record<string, LabelKind> = Object.fromEntries(datasetFacts.map((d) => [String(d.name), d.labels]));

/** Peak throughput from each vendor's datasheet; `precision` says which number it is. */
const accelerators: Row[] = [
  { kind: 'accelerator', name: 'NVIDIA GTX 580', year: 2010, tflops: 1.58, precision: 'FP32', source: 'NVIDIA GeForce GTX 580 specifications' },
  { kind: 'accelerator', name: 'NVIDIA P100', year: 2016, tflops: 10.6, precision: 'FP32', source: 'NVIDIA Tesla P100 datasheet' },
  { kind: 'accelerator', name: 'NVIDIA P100', year: 2016, tflops: 21.2, precision: 'FP16', source: 'NVIDIA Tesla P100 datasheet' },
  { kind: 'accelerator', name: 'NVIDIA V100', year: 2017, tflops: 125, precision: 'FP16 tensor', source: 'NVIDIA Tesla V100 datasheet' },
  { kind: 'accelerator', name: 'NVIDIA A100', year: 2020, tflops: 19.5, precision: 'FP32', source: 'NVIDIA A100 datasheet' },
  { kind: 'accelerator', name: 'NVIDIA A100', year: 2020, tflops: 312, precision: 'FP16 tensor', source: 'NVIDIA A100 datasheet' },
  { kind: 'accelerator', name: 'NVIDIA H100 SXM', year: 2022, tflops: 66.9, precision: 'FP32', source: 'NVIDIA H100 datasheet' },
  { kind: 'accelerator', name: 'NVIDIA H100 SXM', year: 2022, tflops: 989, precision: 'FP16 tensor (dense; the datasheet headlines twice this, with sparsity)', source: 'NVIDIA H100 datasheet' },
];

const references: Reference[] = [
  { subject: 'training compute', measure: 'doubling time of the largest training runs since 2012', value: 3.4, unit: 'months', citation: 'Amodei & Hernandez 2018, "AI and Compute"', year: 2018, note: 'more than 300,000× growth 2012–2018; an earlier version of the post said 3.5 months' },
  { subject: 'training compute', measure: 'doubling time before 2010', value: 20, unit: 'months', citation: 'Sevilla et al. 2022, arXiv:2202.05924', year: 2022 },
  { subject: 'training compute', measure: 'doubling time in the deep-learning era', value: 6, unit: 'months', citation: 'Sevilla et al. 2022, arXiv:2202.05924', year: 2022 },
];

export const history: Experiment<HistoryConfig, { key: string; seed: number }> = {
  id: 'history',
  claim: 'Labelled datasets and the throughput of accelerators have grown by orders of magnitude since the 1990s.',
  references,
  configs: { smoke: { datasets, labels, accelerators }, quick: { datasets, labels, accelerators }, full: { datasets, labels, accelerators } },
  units: () => [{ key: 'curated', seed: 0 }],
  async runUnit(_unit, config) {
    return { rows: [...config.datasets, ...config.accelerators], timings: [] };
  },
  summarize(config) {
    const years = (rows: Row[]) => rows.map((r) => r.year as number);
    const fp32 = config.accelerators.filter((r) => r.precision === 'FP32');
    const first = fp32.reduce((a, b) => ((a.year as number) < (b.year as number) ? a : b));
    const last = fp32.reduce((a, b) => ((a.year as number) > (b.year as number) ? a : b));
    const examples = (r: Row) => r.examples as number;
    const mnist = examples(config.datasets.find((r) => r.name === 'MNIST')!);
    const imagenet = examples(config.datasets.find((r) => r.name === 'ImageNet (ILSVRC-2012)')!);
    // The largest set of each kind of label (none when no set has that kind).
    const largest = (kind: LabelKind) =>
      config.datasets.filter((r) => config.labels[String(r.name)] === kind).reduce<Row | undefined>((a, b) => (a && examples(a) >= examples(b) ? a : b), undefined);
    const kinds: Record<string, number> = {};
    for (const kind of ['checked', 'weak', 'captions'] as const) {
      const row = largest(kind);
      if (!row) continue;
      kinds[`datasets.${kind}.largestExamples`] = examples(row);
      kinds[`datasets.${kind}.largestYear`] = row.year as number;
      kinds[`datasets.${kind}.overImagenet`] = examples(row) / imagenet;
    }
    return {
      summary: {
        'datasets.firstYear': Math.min(...years(config.datasets)),
        'datasets.lastYear': Math.max(...years(config.datasets)),
        'datasets.imagenetExamples': imagenet,
        'datasets.imagenetOverMnist': imagenet / mnist,
        ...kinds,
        'fp32.firstYear': first.year as number,
        'fp32.firstTflops': first.tflops as number,
        'fp32.lastYear': last.year as number,
        'fp32.lastTflops': last.tflops as number,
        'fp32.growth': (last.tflops as number) / (first.tflops as number),
      },
      notes: ['Curated facts, not measurements: each row names its source.'],
    };
  },
};
