/**
 * saturation — do deep sigmoid networks train at all, given time? The activations sweep leaves
 * plain sigmoid networks of five and ten hidden layers at chance after a dozen epochs at every rate,
 * while Glorot & Bengio (2010) report 2.21% test error for five sigmoid layers on MNIST and describe
 * the top hidden layer saturating early and escaping only after many epochs. Here the five-layer
 * sigmoid network of the sweep trains ten times longer at its largest rates, recording validation
 * accuracy per epoch and, every few epochs, each hidden layer's mean activation (saturation at 0
 * shows as a top layer near 0) and the per-weight gradient reaching each layer.
 */
import type { SaturationConfig } from '../configs.ts';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Experiment } from '../lib/experiment.ts';
import { buildModel, type Activation } from '../lib/models.ts';
import { deriveSeed } from '../lib/random.ts';
import type { Reference, Row } from '../lib/schema.ts';
import { comparisonData, trainWithCurve } from '../lib/sweep.ts';
import { layerGradientRms } from '../lib/train.ts';
import { summarizeSaturation } from '../summaries/saturation.ts';


interface SaturationUnit {
  key: string;
  rate: number;
  seed: number;
}

const references: Reference[] = [
  { subject: 'sigmoid', measure: 'test error, 5 hidden layers, MNIST', value: 0.0221, unit: 'fraction', citation: 'Glorot & Bengio 2010, Table 1', year: 2010 },
];

/** Mean activation of each hidden layer on a batch, from the input side. */
async function hiddenMeans(model: tfl.LayersModel, x: Float32Array, count: number): Promise<number[]> {
  const hidden = model.layers.slice(0, -1);
  const probe = tfl.model({ inputs: model.inputs, outputs: hidden.map((l) => l.output as tfl.SymbolicTensor) });
  const means = tf.tidy(() => {
    const outs = probe.predict(tf.tensor2d(x, [count, x.length / count])) as tf.Tensor | tf.Tensor[];
    return tf.stack((Array.isArray(outs) ? outs : [outs]).map((o) => tf.mean(o)));
  });
  const values = Array.from(await means.data());
  means.dispose();
  return values;
}

export const saturation: Experiment<SaturationConfig, SaturationUnit> = {
  id: 'saturation',
  claim: 'Deep sigmoid networks are slow rather than untrainable: given many more epochs, their saturated top layer recovers and they learn (Glorot & Bengio 2010).',
  references,
  configs: {
    smoke: { activation: 'sigmoid', depth: 3, width: 16, m: 300, rates: [1], seeds: [1], epochs: 3, batchSize: 64, probeEvery: 1, probeBatch: 64, testSize: 500 },
    quick: { activation: 'sigmoid', depth: 5, width: 64, m: 3000, rates: [1], seeds: [1], epochs: 40, batchSize: 64, probeEvery: 5, probeBatch: 256, testSize: 10000 },
    // The activations experiment's five-layer network (width 64, 3,000 images), ten times longer.
    full: { activation: 'sigmoid', depth: 5, width: 64, m: 3000, rates: [1, 3], seeds: [1], epochs: 120, batchSize: 64, probeEvery: 5, probeBatch: 256, testSize: 10000 },
  },

  gridFields: ['rates', 'seeds'],

  units(config) {
    return config.rates.flatMap((rate) => config.seeds.map((seed) => ({ key: `lr=${rate}/seed=${seed}`, rate, seed })));
  },

  cost(_unit, config) {
    return config.epochs * config.m;
  },

  async runUnit({ rate, seed }, config) {
    const data = comparisonData(config.m, seed, config.testSize);
    const spec = { kind: 'mlp' as const, hidden: new Array<number>(config.depth).fill(config.width), activation: config.activation };
    // The same initial weights as the activations sweep's network of this depth and seed.
    const model = buildModel(spec, { name: 'sgd', learningRate: rate }, deriveSeed(seed, 'init', `depth-${config.depth}`));
    const probe = { x: data.inputs.subarray(0, config.probeBatch * 784), labels: data.trainSet.labels.subarray(0, config.probeBatch) };
    const base = { activation: config.activation, depth: config.depth, rate, seed };
    const probes: Row[] = [];
    const measure = async (epoch: number) => {
      (await hiddenMeans(model, probe.x, config.probeBatch)).forEach((meanActivation, i) => probes.push({ kind: 'activation', ...base, epoch, layer: i + 1, meanActivation }));
      (await layerGradientRms(model, probe.x, probe.labels)).forEach((gradientRms, i, all) =>
        probes.push({ kind: 'gradient', ...base, epoch, layer: i + 1, layers: all.length, gradientRms }),
      );
    };
    await measure(0);
    const { rows, timings } = await trainWithCurve(model, data, base, seed, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      afterEpoch: async (epoch) => {
        if (epoch % config.probeEvery === 0 || epoch === config.epochs) await measure(epoch);
      },
    });
    model.dispose();
    return { rows: [...rows, ...probes], timings };
  },

  summarize: summarizeSaturation,
};
