/** Every chart a lesson may embed, by id. Lesson frontmatter and <Chart id> are checked against this. */
import { activationFunctions, gradientNorms, layerSignals, rateSweep, validationCurves } from './activations.ts';
import { experimentsPerDay, throughput } from './compute.ts';
import { acceleratorThroughput, datasetSizes } from './history.ts';
import { accuracyByParameters } from './model-size.ts';
import { accuracyCurves } from './optimizers.ts';
import { hiddenActivations, longRun } from './saturation.ts';
import { generalisationGap, learningCurves } from './scale.ts';
import { seedSpread } from './small-data.ts';
import type { ChartDefinition } from './types.ts';

export const charts = {
  'scale-learning-curves': {
    experiment: 'scale',
    title: 'Test accuracy against the amount of labelled data',
    caption:
      'Each line is the mean over seeds; the shaded band spans the worst and best seed. Every point is a model trained from scratch on a random subset of the MNIST training images, at the settings chosen for it on the validation images, until its validation error stopped improving (the exact kernel SVM is solved, not trained by steps), then scored once on the 10,000 MNIST test images.',
    build: learningCurves,
  },
  'scale-generalisation-gap': {
    experiment: 'scale',
    title: 'How much better each model does on its training images than on new ones',
    caption:
      'Training accuracy minus test accuracy, mean over seeds. A gap near zero means the model does no better on the images it learned from than on new ones. Read it with the training accuracy (in the tooltip): a linear model closes the gap because its training accuracy falls to meet its test accuracy — it has no capacity left — while the CNN closes it near 100% on both.',
    build: generalisationGap,
  },
  'small-data-seeds': {
    experiment: 'small-data',
    title: 'With little data, each draw of the training images gives a different score',
    caption:
      'Each dot is one model trained on one random draw of the training images (one seed), every choice made on a held-out fifth of that draw, then trained again on all of it; the bar is the mean. Where the dots of two models overlap, which of the two comes out ahead depends on the draw.',
    build: seedSpread,
  },
  'model-size-curves': {
    experiment: 'model-size',
    title: 'Accuracy against network size, for each amount of data',
    caption:
      'One-hidden-layer networks from 8 to 512 hidden units, each at the learning rate and penalty tuned for its width and amount of data. Each point is the mean over seeds of networks trained on the same number of images.',
    build: accuracyByParameters,
  },
  'history-datasets': {
    experiment: 'history',
    title: 'Training images in landmark image datasets',
    caption:
      'Curated from each dataset’s paper (sources below), not measured by this project. Each set is placed at the year it was first described, except the full ImageNet, which kept growing: it sits at the year its size was counted. Colour and shape say what an image comes with: a class label that people gave or checked, one a program made from web signals or hashtags, or a caption; the three are not the same kind of example.',
    build: datasetSizes,
  },
  'history-accelerators': {
    experiment: 'history',
    title: 'Peak throughput of GPUs used for deep learning',
    caption:
      'Vendor datasheet peaks, not measured by this project. 32-bit figures and tensor-core (16-bit) figures are drawn apart because they are not the same kind of number.',
    build: acceleratorThroughput,
  },
  'activations-training': {
    experiment: 'activations',
    title: 'Validation accuracy per epoch, each activation at its best learning rate',
    caption:
      'Plain fully connected networks on MNIST, identical but for the activation: same data, Glorot initialisation, plain SGD; relu-he is ReLU with He initialisation. Each at the rate of its sweep whose best-epoch validation accuracy was highest; where every rate left a network at chance (the deep sigmoid ones), no rate is best, and the first of its sweep is drawn. Mean over seeds, range shaded.',
    build: validationCurves('best'),
  },
  'activations-training-shared': {
    experiment: 'activations',
    title: 'The same networks, all at one shared learning rate',
    caption: 'Every activation at the same plain-SGD learning rate: the comparison in which only the activation differs. Mean over seeds, range shaded.',
    build: validationCurves('shared'),
  },
  'activations-sweep': {
    experiment: 'activations',
    title: 'Validation accuracy against the learning rate',
    caption: 'The sweep behind the best rates: each point is the mean over seeds of each seed’s best epoch (best-so-far validation accuracy); a diverged run counts as chance (10%).',
    build: rateSweep,
  },
  'activations-gradients': {
    experiment: 'activations',
    title: 'How much gradient reaches each layer, before training',
    caption: 'The loss gradient per weight (root mean square over the layer’s weights, so layers of different shapes compare fairly) for each layer of the deepest network, at initialisation, mean over seeds.',
    build: gradientNorms,
  },
  'activations-signals': {
    experiment: 'activations',
    title: 'Where the gradient vanishes: the backward signal, the activations and the gradient per weight, layer by layer, before training',
    caption: 'The deepest network at initialisation, mean over seeds. Per hidden layer, the gradient of the loss with respect to the layer’s pre-activations (the backward signal) and the layer’s outputs, each a root mean square over a fixed batch; per weight layer, the gradient per weight (root mean square over the layer’s weights, so layers of different shapes compare fairly), the product of the backward signal at that layer and the activations feeding it. The last weight layer is the output layer’s.',
    build: layerSignals,
  },
  'activations-functions': {
    experiment: 'activations',
    title: 'The activations and their slopes',
    caption: 'The slope is what back-propagation multiplies by at every layer: a slope below 1, layer after layer, shrinks the gradient geometrically.',
    build: activationFunctions,
  },
  'saturation-long-run': {
    experiment: 'saturation',
    title: 'The five-layer sigmoid network, trained ten times longer, beside tanh',
    caption: 'The sigmoid network of the activations sweep that stayed at chance, now for ten times as many epochs of plain SGD at the sweep’s largest rates, and the same network with tanh at its own best rate on the same data and epochs. Mean over seeds, range shaded.',
    build: longRun,
  },
  'saturation-activations': {
    experiment: 'saturation',
    title: 'Inside the long run: the mean activation of each hidden layer',
    caption: 'Glorot & Bengio’s diagnosis of a sigmoid network stuck at the start of training: the top hidden layer saturates near 0. The sigmoid network at its largest rate, measured every few epochs on a fixed batch, mean over seeds.',
    build: hiddenActivations,
  },
  'optimizers-curves': {
    experiment: 'optimizers',
    title: 'Validation accuracy per epoch, each optimiser at its best learning rate',
    caption: 'The same network, data and initial weights; only the update rule differs, each at the rate of its sweep that did best on the validation images. Mean over seeds, range shaded.',
    build: accuracyCurves,
  },
  'compute-throughput': {
    experiment: 'compute',
    title: 'Training speed on each backend this machine has',
    caption: 'Samples per second for one training process, measured by this project on the machine named below. A software WebGPU adapter runs on the CPU and is labelled so. Backends the machine lacks are listed, not estimated.',
    build: throughput,
  },
  'compute-experiments-per-day': {
    experiment: 'compute',
    title: 'How many experiments fit in a day',
    caption: 'A day divided by the time one training run takes to reach its target validation accuracy: the number of ideas you could test before tomorrow. Hollow dots are projected from a backend’s throughput, because it was too slow to finish inside its time budget.',
    build: experimentsPerDay,
  },
} satisfies Record<string, ChartDefinition>;

export type ChartId = keyof typeof charts;
export const chartIds = Object.keys(charts) as [ChartId, ...ChartId[]];

export class UnknownChartError extends Error {
  override name = 'UnknownChartError';
}

export function getChart(id: string, where: string): ChartDefinition {
  if (id in charts) return charts[id as ChartId];
  throw new UnknownChartError(
    `${where} refers to chart "${id}", which does not exist. Known charts: ${chartIds.join(', ')} (see src/charts/index.ts).`,
  );
}
