/**
 * history — curated, not computed: landmark datasets and accelerators over the years, each with its
 * source, for the lessons on digitisation and on faster computation. The facts are carried over from
 * the cited sources (see ../shared/LITERATURE.md for how they were checked).
 */
import type { Experiment } from '../lib/experiment.ts';
import type { Reference, Row } from '../lib/schema.ts';

interface HistoryConfig {
  datasets: Row[];
  accelerators: Row[];
}

const datasets: Row[] = [
  { kind: 'dataset', name: 'MNIST', year: 1998, examples: 60000, testExamples: 10000, what: 'handwritten digits, 28×28 grey', source: 'LeCun, Bottou, Bengio, Haffner 1998, Proc. IEEE 86(11)' },
  { kind: 'dataset', name: 'CIFAR-10', year: 2009, examples: 50000, testExamples: 10000, what: 'tiny colour photos, 10 classes', source: 'Krizhevsky 2009, Learning Multiple Layers of Features from Tiny Images' },
  { kind: 'dataset', name: 'ImageNet (ILSVRC-2012)', year: 2012, examples: 1281167, testExamples: 50000, what: 'photos, 1,000 classes (50,000 validation images)', source: 'Russakovsky et al. 2015, IJCV 115' },
];

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
  configs: { smoke: { datasets, accelerators }, quick: { datasets, accelerators }, full: { datasets, accelerators } },
  units: () => [{ key: 'curated', seed: 0 }],
  async runUnit(_unit, config) {
    return { rows: [...config.datasets, ...config.accelerators], timings: [] };
  },
  summarize(config) {
    const years = (rows: Row[]) => rows.map((r) => r.year as number);
    const fp32 = config.accelerators.filter((r) => r.precision === 'FP32');
    const first = fp32.reduce((a, b) => ((a.year as number) < (b.year as number) ? a : b));
    const last = fp32.reduce((a, b) => ((a.year as number) > (b.year as number) ? a : b));
    const biggest = config.datasets.reduce((a, b) => ((a.examples as number) > (b.examples as number) ? a : b));
    const mnist = config.datasets.find((r) => r.name === 'MNIST')!;
    return {
      summary: {
        'datasets.firstYear': Math.min(...years(config.datasets)),
        'datasets.largestExamples': biggest.examples as number,
        'datasets.growthOverMnist': (biggest.examples as number) / (mnist.examples as number),
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
